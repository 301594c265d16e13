"""A fake service host for the link checker (掌上办事入口): plain HTTP and HTTPS with a
self-signed certificate made at start (cryptography), each on its own port, in threads.

    with FakeServiceHost() as host:
        host.url("/ok/社保查询")        # http://127.0.0.1:…/ok/…   200, a normal service page
        host.url("/missing/x")          # 404
        host.url("/moved/x")            # 302 → /notice/404.html, a 200 page saying 页面不存在
        host.url("/error/x")            # 500
        host.url("/loop/x")             # redirects to itself, forever
        host.url("/hang/x")             # accepts the request and never answers
        host.url("/ok/x", tls=True)     # https://…: the certificate is self-signed
        host.ca_pem                     # the certificate, to trust it on purpose

    python -m govmedia.platforms.fakes.servicehost [--port 9105] [--tls-port 9106]

Every other path answers 404. A hanging request is released when the host stops.
"""

import argparse
import datetime
import ipaddress
import signal
import ssl
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SERVICE_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>服务事项 - 爱山东</title></head><body><h1>{name}</h1>
<p>请选择办理事项，按提示填写信息并提交。办理进度可在“我的办件”中查询。</p></body></html>"""
NOT_FOUND_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>提示 - 爱山东</title></head><body><h1>抱歉，您访问的页面不存在</h1>
<p>该服务可能已调整或下线，请返回首页重新查找。</p></body></html>"""


def self_signed_certificate(host: str = "127.0.0.1") -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM) for `host`, valid for a day, signed by itself."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "govmedia fake service host")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(host)), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a checker reuses its connections
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: str = "", headers: dict | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 (http.server's name)
        path = self.path.split("?", 1)[0]
        kind, _, rest = path.lstrip("/").partition("/")
        if kind == "ok":
            self._send(200, SERVICE_PAGE.format(name=rest or "服务事项"))
        elif kind == "missing":
            self._send(404, "<h1>404 Not Found</h1>")
        elif kind == "moved":
            self._send(302, "", {"Location": "/notice/404.html"})
        elif path == "/notice/404.html":
            self._send(200, NOT_FOUND_PAGE)
        elif kind == "error":
            self._send(500, "<h1>500 Internal Server Error</h1>")
        elif kind == "loop":
            self._send(302, "", {"Location": quote(path)})
        elif kind == "hang":
            # Never answer: the checker's timeout decides. Released when the host stops.
            self.server.stopping.wait(300)
            self.close_connection = True
        else:
            self._send(404, "<h1>404 Not Found</h1>")

    def do_HEAD(self):  # noqa: N802
        self.do_GET()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a checker opens its connections all at once
    context: ssl.SSLContext | None = None

    def __init__(self, address, stopping: threading.Event, context=None):
        self.stopping, self.context = stopping, context
        super().__init__(address, _Handler)

    def finish_request(self, request, client_address):
        # The TLS handshake in the request's own thread: a client that refuses the certificate
        # (the point of the HTTPS side) fails here without holding up the accept loop.
        if self.context is not None:
            try:
                request = self.context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        pass  # a client that hung up (the checker's timeout) is no error of the fake's


class FakeServiceHost:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, tls_port: int = 0):
        self.host = host
        self.stopping = threading.Event()
        self.ca_pem, key_pem = self_signed_certificate(host)
        with tempfile.TemporaryDirectory() as folder:
            cert_file, key_file = Path(folder, "cert.pem"), Path(folder, "key.pem")
            cert_file.write_bytes(self.ca_pem)
            key_file.write_bytes(key_pem)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert_file, key_file)
        self.http = _Server((host, port), self.stopping)
        self.https = _Server((host, tls_port), self.stopping, context)
        self._threads = []

    def url(self, path: str, *, tls: bool = False) -> str:
        server, scheme = (self.https, "https") if tls else (self.http, "http")
        return f"{scheme}://{self.host}:{server.server_address[1]}{quote(path)}"

    def start(self) -> "FakeServiceHost":
        for server in (self.http, self.https):
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self.stopping.set()
        for server in (self.http, self.https):
            if self._threads:
                server.shutdown()
            server.server_close()
        self._threads.clear()

    def __enter__(self) -> "FakeServiceHost":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govmedia.platforms.fakes.servicehost")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9105)
    parser.add_argument("--tls-port", type=int, default=9106)
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with FakeServiceHost(host=args.host, port=args.port, tls_port=args.tls_port) as host:
        print(f"service-host {host.url('/')} {host.url('/', tls=True)}", flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())

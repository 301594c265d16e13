"""gunicorn for govmedia (scripts/serve.sh and deploy/govmedia-web.service use this file).

Threads rather than more processes: the pages spend their time waiting on PostgreSQL, and each
thread keeps one database connection for CONN_MAX_AGE seconds, so a server holds at most
WEB_WORKERS × WEB_THREADS connections (settings.max_database_connections documents the sum with
the qcluster). Everything is read from the same environment variables as the settings.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# A request that takes longer is killed and logged (filing PDFs and Excel imports finish well
# inside it); a restart waits this long for requests in flight.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle a worker now and then (its database connections close with it); jitter spreads restarts.
max_requests = 5000
max_requests_jitter = 500
# Only nginx on this machine may say that the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Logs to stderr/stdout (the journal): one JSON line per request comes from the application
# (govmedia.requests), so gunicorn's own access log stays off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = False
proc_name = "govmedia-web"
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No runtime control socket: restarts go through systemd (a shared default path would also make
# two servers on one machine, such as the bench's, fight over it).
control_socket_disable = True

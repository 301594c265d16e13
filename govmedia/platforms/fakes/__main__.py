"""python -m govmedia.platforms.fakes [--seed FILE | --demo] [--ports 9101,9102,9103,9104]

Starts the four fake platforms (微信, 微博, 抖音, 快手 in that port order) and serves until
interrupted; prints each base URL for the PLATFORM_API_BASES setting.
"""

import argparse
import signal
import sys
import threading

from .platforms import DEMO_SEED, ORDER, FakePlatforms


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govmedia.platforms.fakes", description=__doc__)
    parser.add_argument("--seed", help="seed file (JSON, see docs/platforms/fakes.md)")
    parser.add_argument("--demo", action="store_true", help=f"load the bundled {DEMO_SEED.name}")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--ports",
        default="0,0,0,0",
        help=f"four ports in the order {','.join(ORDER)}; 0 picks a free one",
    )
    args = parser.parse_args(argv)
    try:
        ports = [int(port) for port in args.ports.split(",")]
        seed = args.seed or (DEMO_SEED if args.demo else None)
        fakes = FakePlatforms(host=args.host, ports=ports, seed=seed)
    except (ValueError, KeyError, OSError) as exc:
        print(f"fake platforms: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with fakes:
        for code, url in fakes.base_urls.items():
            print(f"{code:10} {url}", flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())

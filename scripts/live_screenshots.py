"""Screenshots of the live lesson's projector page during a simulated class.

    .venv/bin/python scripts/live_screenshots.py [--out DIR] [--throws N] [--size WxH ...]

For each language it starts ``reportgen live`` on a free loopback port with a
new LOG, posts ``--throws`` throws of a slightly loaded die from 30 "phones"
(the last face a little more often than the others), and saves the page as
``DIR/live-<lang>-<W>x<H>.png`` with headless Debian Chromium. ``--docs`` makes
the documentation's pictures instead: ``docs/live-en.png`` and
``docs/live-ja.png`` at 1280x720, as 128-colour palette PNGs (about 55 kB each;
Chromium's own are 130 kB). Needs the ``live`` and ``test`` extras and Debian's
``chromium`` and ``chromium-driver``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def start(lang: str, folder: Path, *options: str) -> tuple[subprocess.Popen[str], str, str]:
    """``reportgen live`` on a free port; its process, base URL and class code."""
    command = [sys.executable, "-m", "reportgen", "live", str(folder / "class.csv"), "--port", "0"]
    server = subprocess.Popen(
        [*command, "--lang", lang, "--code", "DEMO42", *options], stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+)/\s*$", line)
        if found:
            return server, found.group(1), "DEMO42"
    server.kill()
    raise RuntimeError("the server did not start")


def throw(base: str, code: str, face: str, client: str) -> None:
    body = json.dumps({"face": face, "code": code, "client": client, "source": "phone"}).encode()
    request = urllib.request.Request(
        base + "/api/throws", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 201


def browser():  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={tempfile.mkdtemp(prefix='live-shots-')}",
    ):  # fmt: skip
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def shoot(driver, url: str, size: tuple[int, int], path: Path, mobile: bool = False) -> None:  # type: ignore[no-untyped-def]
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )
    driver.get(url)
    time.sleep(1.5)  # fonts decoded, the first state drawn
    driver.save_screenshot(str(path))
    print(path)


def palette(path: Path) -> None:
    """Rewrite a screenshot as a 128-colour palette PNG: the page has few colours."""
    from PIL import Image

    with Image.open(path) as shot:
        image = shot.convert("RGB")
    image.quantize(128, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("."))
    parser.add_argument("--throws", type=int, default=87)
    parser.add_argument("--size", action="append", default=[])
    parser.add_argument("--lang", action="append", default=[])
    parser.add_argument("--faces", default="6", help="--faces of the server (labels or K)")
    parser.add_argument("--model", default="fair", help="--model of the server")
    parser.add_argument("--phone", action="store_true", help="also the phone page, 390x844")
    parser.add_argument("--name", default="live", help="file names start with this")
    parser.add_argument("--docs", action="store_true", help="docs/live-<lang>.png, 1280x720")
    args = parser.parse_args()
    if args.docs:
        args.out, args.size = Path(__file__).resolve().parent.parent / "docs", ["1280x720"]
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.size or ["1280x720", "1920x1080"]]
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(27)
    for lang in args.lang or ["en", "ja"]:
        with tempfile.TemporaryDirectory() as folder:
            options = ("--faces", args.faces, "--model", args.model)
            server, base, code = start(lang, Path(folder), *options)
            driver = browser()
            labels = args.faces.split(",") if "," in args.faces else range(1, int(args.faces) + 1)
            faces = [str(label) for label in labels]
            weights = [*[1.0] * (len(faces) - 1), 1.4]
            try:
                for i in range(args.throws):
                    face = rng.choices(faces, weights)[0]
                    throw(base, code, face, f"phone{i}")  # many phones, none too fast
                for size in sizes:
                    name = f"{args.name}-{lang}-{size[0]}x{size[1]}.png"
                    if args.docs:
                        name = f"live-{lang}.png"
                    shoot(driver, base + "/", size, args.out / name)  # type: ignore[arg-type]
                    if args.docs:
                        palette(args.out / name)
                if args.phone:
                    name = args.out / f"{args.name}-{lang}-phone.png"
                    shoot(driver, f"{base}/throw?code={code}", (390, 844), name, mobile=True)
            finally:
                driver.quit()
                server.terminate()
                server.wait(timeout=20)


if __name__ == "__main__":
    main()

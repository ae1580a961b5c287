"""A bounded load test of units' links (issue 23), on loopback; printed, not a timed test.

    python bench/units.py [UNITS] [SECONDS]      (defaults: 200 units within 60 seconds)

Serves a campaign of pingdingshan-2010 whose roster has UNITS units, gives each its link, and
has each upload its own return once through it, the starts spread evenly over SECONDS (each
upload in its own thread, as many phones at once). Prints the response times (median, p95,
slowest), the answers that were not 200, and whether every unit's return was recorded once.
"""

import io
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from wenuan.checking import samples
from wenuan.forms import model as forms
from wenuan.forms.model import Unit
from wenuan.outputs import writing
from wenuan.web.app import Hosts, create_app
from wenuan.web.campaign import Campaign


def returns(n: int) -> list[tuple[str, bytes]]:
    """Each unit's name and its return: the same figures, its own name in the header."""
    form = forms.get_form("pingdingshan-2010")
    values = samples.consistent(form)
    out = []
    for i in range(n):
        unit = f"测试单位{i:03d}"
        head = {"unit": unit, "person": "王芳", "phone": "0375-2916465", "date": "2010-01-30"}
        buffer = io.BytesIO()
        writing.filled(form, values, head).save(buffer)
        out.append((unit, buffer.getvalue()))
    return out


def send(url: str, data: bytes, times: list, codes: list) -> None:
    """One multipart upload, as the unit's page sends it; its time and status kept."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="r.xlsx"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    origin = url.split("/u/")[0]
    request = urllib.request.Request(
        url + "/upload",
        body,
        {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Accept": "application/json",
            "Origin": origin,
        },
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            codes.append(response.status)
    except urllib.error.HTTPError as e:
        codes.append(e.code)
    times.append(time.perf_counter() - start)


def main(n: int = 200, seconds: float = 60) -> None:
    import uvicorn

    sent = returns(n)
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        roster = [Unit(name=unit) for unit, _ in sent]
        campaign = Campaign(Path(tmp), "pingdingshan-2010", roster=roster)
        base = f"http://127.0.0.1:{port}"
        links = {link.unit: link.url for link in campaign.links(base)}
        app = create_app(campaign, None, Hosts.bound("127.0.0.1", port))
        server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        times, codes, threads = [], [], []
        start = time.perf_counter()
        for i, (unit, data) in enumerate(sent):
            time.sleep(max(0.0, start + i * seconds / n - time.perf_counter()))
            thread = threading.Thread(target=send, args=(links[unit], data, times, codes))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
        took = time.perf_counter() - start
        recorded = campaign.store.counts("pingdingshan-2010")
        server.should_exit = True
        campaign.close()
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(f"{n} uploads through their links in {took:.1f} s on {len(links)} links")
        print(
            f"response: median {statistics.median(times):.2f} s, p95 {p95:.2f} s,"
            f" slowest {times[-1]:.2f} s"
        )
        print(f"not 200: {[c for c in codes if c != 200]}")
        lost = [u for u, _ in sent if recorded.get(u) != 1]
        print(f"recorded once each: {len(recorded) - len(lost)} of {n}; lost or twice: {lost}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))

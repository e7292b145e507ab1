"""The forked engine's helpers: which pages the parent gives back, worker ports, the flag."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from nlu.engine_main import prefork_workers
from nlu.prefork import read_only_file_mappings, worker_port

SMAPS = """\
55d0c0000000-55d0c0021000 r--p 00000000 08:01 1234   /usr/bin/python3.10
Size:                132 kB
Anonymous:             0 kB
VmFlags: rd mr mw me sd
55d0c0021000-55d0c0100000 r-xp 00021000 08:01 1234   /usr/bin/python3.10
Size:                892 kB
Anonymous:             0 kB
VmFlags: rd ex mr mw me sd
55d0c0200000-55d0c0210000 rw-p 00200000 08:01 1234   /usr/bin/python3.10
Size:                 64 kB
Anonymous:            64 kB
VmFlags: rd wr mr mw me ac sd
7f0000000000-7f0000100000 r-xp 00000000 08:01 99     /opt/lib/textrel.so
Size:               1024 kB
Anonymous:             8 kB
VmFlags: rd ex mr mw me sd
7f0000200000-7f0000300000 rw-p 00000000 00:00 0
Size:               1024 kB
Anonymous:          1024 kB
VmFlags: rd wr mr mw me ac sd
7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0      [vdso]
Size:                  8 kB
Anonymous:             0 kB
VmFlags: rd ex mr mw me de sd
"""


def test_only_clean_read_only_file_mappings_are_released() -> None:
    assert read_only_file_mappings(SMAPS) == [
        (0x55D0C0000000, 0x21000),
        (0x55D0C0021000, 0x100000 - 0x21000),
    ]  # not: the writable data, a library with written (relocated) pages, anonymous, [vdso]


def test_released_pages_come_back_when_used() -> None:
    """A process that gave back its library pages keeps running Python and importing."""
    code = textwrap.dedent(
        """
        import json, decimal
        from nlu.prefork import release_file_pages
        def rss():
            return int([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1])
        before = rss()
        released = release_file_pages()
        after = rss()
        import fractions, statistics  # code from released and new mappings still runs
        print(json.dumps({'released': released, 'before': before, 'after': after,
                          'mean': statistics.mean([1, 2, 3]), 'd': str(decimal.Decimal('1.5'))}))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = __import__("json").loads(out.stdout)
    assert result["released"] > 5
    assert result["after"] < result["before"]
    assert result["mean"] == 2 and result["d"] == "1.5"


def test_worker_ports_and_the_prefork_flag() -> None:
    assert [worker_port(5005, i) for i in range(3)] == [5005, 5006, 5007]
    assert prefork_workers({}) == 1
    assert prefork_workers({"IEUM_ENGINE_PREFORK": "2"}) == 2
    assert prefork_workers({"IEUM_ENGINE_PREFORK": "0"}) == 1
    assert prefork_workers({"IEUM_ENGINE_PREFORK": "두 개"}) == 1


def test_busy_worker_ports_are_found_before_the_model_loads() -> None:
    import socket

    from nlu.prefork import busy_ports

    with socket.socket() as first:
        first.bind(("127.0.0.1", 0))
        first.listen()
        port = first.getsockname()[1]
        assert busy_ports("127.0.0.1", port, 1) == [port]
        assert busy_ports("127.0.0.1", port - 1, 2) in ([port], [port - 1, port])
    assert busy_ports("127.0.0.1", port, 1) == []


def test_library_warnings_stay_off_the_console() -> None:
    """Even a library that turns its own warnings back on does not reach `make run`'s screen."""
    code = textwrap.dedent(
        """
        import warnings
        from nlu.engine_main import quiet_library_warnings
        quiet_library_warnings()
        warnings.simplefilter("default")  # what SQLAlchemy and others do for their own warnings
        warnings.warn("Deprecated API features detected", DeprecationWarning)
        print("still running")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "still running"
    assert "Deprecated" not in out.stderr

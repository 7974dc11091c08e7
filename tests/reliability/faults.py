"""Ways to break a clinic file or its surroundings, for the fault tests."""

from __future__ import annotations

import ctypes
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PAGE = 4096


def corrupt_pages(path: Path, seed: int, pages: int = 3) -> None:
    """Overwrite the start (header and cell pointers) of a few random pages with random bytes."""
    rng = random.Random(seed)
    data = bytearray(path.read_bytes())
    count = len(data) // PAGE
    for page in rng.sample(range(1, count), min(pages, count - 1)):
        n = rng.randint(8, 64)
        data[page * PAGE : page * PAGE + n] = rng.randbytes(n)
    path.write_bytes(bytes(data))


def damage_header(path: Path) -> None:
    """Random bytes over the SQLite header after its magic string (page size, counts...)."""
    data = bytearray(path.read_bytes())
    data[16:100] = random.Random(16).randbytes(84)
    path.write_bytes(bytes(data))


def mark_newer(path: Path) -> None:
    """As if a later ptdesk had migrated the file to a schema this one does not know."""
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.close()


def other_database(path: Path) -> None:
    path.unlink()
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        con.execute("INSERT INTO contacts VALUES ('A. Person', '555-0100')")
    con.close()


NOT_SQLITE = {
    "text": b"Patient list\nMaria Lopez, 555-0100\n",
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" * 40,
    "zip": b"PK\x03\x04" + bytes(range(256)) * 8,
    "random": random.Random(3).randbytes(8192),
}


@contextmanager
def held_lock(path: Path, *, exclusive: bool) -> Iterator[subprocess.Popen]:
    """Another program holding the clinic file's write lock until the block ends.

    ``exclusive`` is what a program that opens the file in exclusive locking mode does:
    nobody else may even read. Otherwise it holds an open write transaction (readers
    may still read in WAL mode, writers wait).
    """
    setup = "con.execute('PRAGMA locking_mode=EXCLUSIVE')" if exclusive else "pass"
    script = (
        "import sqlite3, sys\n"
        f"con = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        f"{setup}\n"
        "con.execute('BEGIN IMMEDIATE')\n"
        'con.execute("UPDATE clinic_profile SET name = name")\n'
        "print('holding', flush=True)\n"
        "sys.stdin.readline()\n"
        "con.execute('ROLLBACK')\n"
        "con.close()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        yield proc
    finally:
        if proc.stdin is not None:
            proc.stdin.write("\n")
            proc.stdin.close()
        proc.wait(30)
        if proc.stdout is not None:
            proc.stdout.close()


# -- permissions that hold even for root ------------------------------------------------------
# Root passes every permission check through two capabilities. While the block runs, this
# thread works without them, so the folder's and file's own permission bits decide, as they
# do for the clinic's ordinary Windows or Linux user. Without root nothing needs to change.
_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _capabilities(drop: bool) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    header = _CapHeader(0x20080522, 0)
    data = (_CapData * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    bits = (1 << _CAP_DAC_OVERRIDE) | (1 << _CAP_DAC_READ_SEARCH)
    if drop:
        data[0].effective &= ~bits
    else:
        data[0].effective |= data[0].permitted & bits
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


@contextmanager
def permissions_apply() -> Iterator[None]:
    """File permission bits are enforced in this block, even when the tests run as root."""
    if os.geteuid() != 0:
        yield
        return
    _capabilities(drop=True)
    try:
        yield
    finally:
        _capabilities(drop=False)

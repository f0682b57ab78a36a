"""A throw-away Dovecot IMAP server for tests (pytest plugin: fixtures `dovecot`, `make_dovecot`).

Each server is a private instance (own config, sockets, logs and Maildir in a temp dir, listening on
a free 127.0.0.1 port) and never touches the system instance. Dovecot is installed with apt when
missing; under CI a server that cannot run fails the test instead of skipping it.
"""
from __future__ import annotations

import getpass
import imaplib
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.servers._common import free_port, self_signed_cert, unavailable, wait_port

USER, PASSWORD = "support@introserv.test", "s3cret-imap-pw"


def install_dovecot() -> str | None:
    """Path of the `dovecot` binary, installing Debian's dovecot-imapd first if needed."""
    found = shutil.which("dovecot") or (Path("/usr/sbin/dovecot").exists() and "/usr/sbin/dovecot")
    if found:
        return str(found)
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "dovecot-imapd"]
    if subprocess.run(install, env=env, capture_output=True, check=False).returncode != 0:
        # A fresh container has empty package lists; refresh once, then try again.
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=False)
        subprocess.run(install, env=env, capture_output=True, check=False)
    return shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)


class DovecotServer:
    """One private Dovecot instance; `capabilities` overrides what IMAP advertises (e.g. no IDLE)."""

    def __init__(self, root: Path, binary: str, capabilities: str | None = None,
                 password: str = PASSWORD, tls: bool = False) -> None:
        self.root, self.binary, self.capabilities = root, binary, capabilities
        self.host, self.port = "127.0.0.1", free_port()
        self.user, self.password = USER, password
        self.home = root / "home"
        self.maildir = self.home / "Maildir"
        # With tls: STARTTLS on `port` and implicit TLS on `tls_port`, with a self-signed certificate.
        self.tls_port = free_port() if tls else None
        self.cert = self_signed_cert(root)[0] if tls else None
        self.conf = root / "dovecot.conf"
        self.log = root / "dovecot.log"
        self._write_config()

    def _identity(self) -> tuple[str, int, int, str]:
        """(login user, uid, gid, internal user): root runs as Dovecot's own users, others as themselves."""
        if os.geteuid() == 0:
            entry = pwd.getpwnam("dovecot")
            return "dovenull", entry.pw_uid, entry.pw_gid, "dovecot"
        return getpass.getuser(), os.getuid(), os.getgid(), getpass.getuser()

    def _write_config(self) -> None:
        login_user, uid, gid, internal = self._identity()
        for path in (self.root, self.root / "run", self.root / "state", self.home):
            path.mkdir(parents=True, exist_ok=True)
            path.chmod(0o755)  # login processes must reach the sockets under base_dir
        if os.geteuid() == 0:
            os.chown(self.home, uid, gid)
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}:{uid}:{gid}::{self.home}\n")
        capability = f"imap_capability = {self.capabilities}\n" if self.capabilities else ""
        if self.cert is not None:
            ssl_conf = f"ssl = yes\nssl_cert = <{self.cert}\nssl_key = <{self.root / 'key.pem'}\n"
            imaps = f"  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {self.tls_port}\n    ssl = yes\n  }}\n"
        else:
            ssl_conf, imaps = "ssl = no\n", ""
        self.conf.write_text(f"""\
protocols = imap
listen = 127.0.0.1
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.log}
info_log_path = {self.log}
{ssl_conf}disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = {login_user}
default_internal_user = {internal}
default_internal_group = {internal}
first_valid_uid = 100
mail_location = maildir:~/Maildir
mailbox_idle_check_interval = 1 secs
{capability}passdb {{
  driver = passwd-file
  args = {self.root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {self.root}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
{imaps}  chroot =
}}
service anvil {{
  chroot =
}}
""")

    def set_password(self, password: str) -> None:
        """Change the mailbox password on the server (Dovecot re-reads a changed passwd-file)."""
        self.password = password
        self._write_config()

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        # The master daemonizes: its children inherit our stdio, so never capture it through a pipe
        # (run() would wait for EOF forever); errors before daemonizing go to a file instead.
        errors = self.root / "start.err"
        with errors.open("wb") as err:
            code = subprocess.run([self.binary, "-c", str(self.conf)], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=err, timeout=30, check=False).returncode
        if code != 0 or not wait_port(self.port, True):
            raise RuntimeError(f"dovecot did not start: {errors.read_text()} {self.log_text()[-2000:]}")

    def _processes(self) -> list[int]:
        """PIDs of this instance: its master and the master's children (imap sessions included)."""
        try:
            master = int((self.root / "run" / "master.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return []
        pids = [master]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(stat.parent.name))
        return [pid for pid in pids if _alive(pid)]

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the instance the way a service manager does: the master and its client sessions.

        `doveadm stop` alone leaves running imap sessions alive and answering, so a connected client
        would never notice the restart; a real restart (systemd's control group) ends them too.
        """
        pids = self._processes()
        for pid in pids:
            _signal(pid, sig)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.02)
        for pid in pids:
            _signal(pid, signal.SIGKILL)
        if not wait_port(self.port, False):
            raise RuntimeError("dovecot did not stop")

    def stop_quietly(self) -> None:
        """Teardown: nothing to be graceful about."""
        try:
            self.stop(signal.SIGKILL)
        except (RuntimeError, OSError):
            pass

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    # -- what a mail admin would do or look at ---------------------------------------------------
    def connect(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(self.user, self.password)
        client.select("INBOX")
        return client

    def append(self, raw: bytes, flags: str = "") -> int:
        """Deliver a mail into INBOX the way an MDA does, as far as IMAP can tell; returns its UID."""
        client = self.connect()
        try:
            typ, data = client.append("INBOX", f"({flags})" if flags else None, None, raw)
            assert typ == "OK", data
            match = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
            assert match, data
            return int(match.group(1))
        finally:
            client.logout()

    def deliver_to_maildir(self, raw: bytes) -> None:
        """Drop a mail into Maildir/new, as a local delivery agent would while IMAP is down."""
        new = self.maildir / "new"
        new.mkdir(parents=True, exist_ok=True)
        name = f"{int(time.time())}.{uuid.uuid4().hex}.test"
        (self.maildir / "tmp").mkdir(exist_ok=True)
        tmp = self.maildir / "tmp" / name
        tmp.write_bytes(raw)
        if os.geteuid() == 0:
            entry = pwd.getpwnam("dovecot")
            os.chown(tmp, entry.pw_uid, entry.pw_gid)
        tmp.rename(new / name)

    def flags(self, uid: int) -> set[str]:
        client = self.connect()
        try:
            _, data = client.uid("FETCH", str(uid), "(FLAGS)")
            match = re.search(rb"FLAGS \(([^)]*)\)", data[0] or b"") if data and data[0] else None
            return set(match.group(1).decode().split()) if match else set()
        finally:
            client.logout()

    def uidvalidity(self) -> int:
        client = self.connect()
        try:
            _, data = client.response("UIDVALIDITY")
            return int(data[0])
        finally:
            client.logout()


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass  # exited on its own meanwhile (the master ends its children too)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="session")
def dovecot_binary() -> str:
    binary = install_dovecot()
    if binary is None:
        unavailable("dovecot is not installed and cannot be installed here (apt-get dovecot-imapd)")
    return str(binary)


@pytest.fixture
def make_dovecot(dovecot_binary: str) -> Iterator[Callable[..., DovecotServer]]:
    servers: list[DovecotServer] = []

    def make(capabilities: str | None = None, password: str = PASSWORD, tls: bool = False) -> DovecotServer:
        # Not under pytest's tmp_path: /tmp/pytest-of-root is 0700 and Dovecot's unprivileged login
        # processes must traverse every parent directory to reach their sockets.
        root = Path(tempfile.mkdtemp(prefix="dovecot-test-"))
        server = DovecotServer(root, dovecot_binary, capabilities, password, tls)
        try:
            server.start()
        except RuntimeError as exc:
            unavailable(str(exc))
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop_quietly()
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture
def dovecot(make_dovecot: Callable[..., DovecotServer]) -> DovecotServer:
    return make_dovecot()

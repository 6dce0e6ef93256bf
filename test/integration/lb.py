"""A local nginx load balancer for the integration tests, built from the shipped example.

Nginx(ports).start() runs Debian's /usr/sbin/nginx in the foreground with a private
prefix (config, pid, logs and temp folders in one temp folder), so no root and nothing
outside that folder is needed. The `upstream` and `server` blocks are those of
etc/nginx/medley.conf, changed only where a test must: the upstream's `server` lines
name the test's instances (keeping the shipped parameters; `fail_timeout` may be
shortened so that a restarted instance is tried again within a test's time), and the
`listen` lines become one free loopback port. What the shipped example recommends
(keepalive to the upstream, proxy_next_upstream, passive health marking) is therefore
exactly what the tests exercise; a change of its shape that this module no longer
recognises fails loudly instead of testing something else.

The access log (one JSON object per line: status, upstream_addr, upstream_status,
request_time, uri) and the error log are in the prefix: access_log(), error_log().
"""
import json
import os
import pathlib
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "etc" / "nginx" / "medley.conf"


def nginx_binary():
    """Path of the nginx executable, or None when it is not installed."""
    explicit = os.environ.get("MEDLEY_NGINX")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for cand in ("/usr/sbin/nginx", shutil.which("nginx")):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def free_port():
    """A free TCP port on 127.0.0.1 below the kernel's ephemeral range.

    Ports handed out for port 0 come from the ephemeral range, which is also where
    every outgoing connection takes its local port: an instance restarted on such a
    port could find it taken by one of nginx's upstream connections. Below the range
    only explicit binds compete."""
    try:
        lo = int(pathlib.Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        lo = 32768
    lo = min(lo, 32768)
    rng = random.Random(os.getpid() ^ time.monotonic_ns())
    for _ in range(200):
        port = rng.randrange(max(1024, lo - 12000), lo)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


def _block(text, head):
    """(start, end) of the brace-delimited block that begins with the line `head {`."""
    m = re.search(r"^\s*" + re.escape(head) + r"\s*\{", text, re.M)
    if not m:
        raise AssertionError(f"{SHIPPED}: no '{head} {{' block; update test/integration/lb.py")
    depth, i = 0, m.end() - 1
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return m.start(), i + 1
        i += 1
    raise AssertionError(f"{SHIPPED}: unbalanced braces in '{head}'")


def shipped_blocks(upstream_ports, listen_port, fail_timeout=None, shipped=SHIPPED):
    """The shipped upstream and server blocks, pointed at the test's ports."""
    lines = [l for l in pathlib.Path(shipped).read_text().splitlines()
             if not l.lstrip().startswith("#")]
    text = "\n".join(lines) + "\n"
    u0, u1 = _block(text, "upstream medley")
    upstream = text[u0:u1]
    servers = re.findall(r"^\s*server\s+(\S+)([^;]*);", upstream, re.M)
    if len(servers) != 1:
        raise AssertionError(f"{SHIPPED}: expected one upstream server line, got {servers}")
    params = servers[0][1]
    if fail_timeout is not None:
        if "fail_timeout=" not in params:
            raise AssertionError(f"{SHIPPED}: the upstream server has no fail_timeout")
        params = re.sub(r"fail_timeout=\S+", f"fail_timeout={fail_timeout}", params)
    new_servers = "".join(f"    server 127.0.0.1:{p}{params};\n" for p in upstream_ports)
    upstream = re.sub(r"^\s*server\s+\S+[^;]*;\n", lambda _m: new_servers, upstream,
                      count=1, flags=re.M)
    s0, s1 = _block(text, "server")
    server = text[s0:s1]
    server, n = re.subn(r"^\s*listen\s+[^;]*;\n", "", server, flags=re.M)
    if n == 0:
        raise AssertionError(f"{SHIPPED}: the server block has no listen line")
    server = server.replace("{", f"{{\n    listen 127.0.0.1:{listen_port};", 1)
    return upstream + "\n" + server + "\n"


class Nginx:
    """nginx in front of upstream_ports on 127.0.0.1:self.port."""

    def __init__(self, upstream_ports, fail_timeout=None, workers=1, shipped=SHIPPED):
        self.bin = nginx_binary()
        if not self.bin:
            raise RuntimeError("nginx is not installed")
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="medley-nginx-"))
        # As root the workers run as nobody: they must reach the temp folders.
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        self.proc = None
        blocks = shipped_blocks(upstream_ports, self.port, fail_timeout, shipped)
        tmp = self.dir / "tmp"
        tmp.mkdir()
        os.chmod(tmp, 0o755)
        temps = "\n".join(f"    {kind}_temp_path {tmp / kind};"
                          for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        self.conf = self.dir / "nginx.conf"
        self.conf.write_text(f"""# generated by test/integration/lb.py from {shipped}
daemon off;
master_process on;
worker_processes {workers};
pid {self.dir / 'nginx.pid'};
error_log {self.dir / 'error.log'} notice;
events {{ worker_connections 1024; }}
http {{
    log_format lbjson escape=json '{{"status":$status,"upstream_addr":"$upstream_addr",'
        '"upstream_status":"$upstream_status","request_time":$request_time,'
        '"uri":"$request_uri"}}';
    access_log {self.dir / 'access.log'} lbjson;
{temps}
{blocks}
}}
""")

    def start(self):
        r = subprocess.run([self.bin, "-t", "-q", "-p", str(self.dir), "-c", str(self.conf)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise AssertionError(f"nginx -t refused the generated config {self.conf}:\n"
                                 f"{r.stderr}\n{self.conf.read_text()}")
        self.proc = subprocess.Popen([self.bin, "-p", str(self.dir), "-c", str(self.conf)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"nginx exited {self.proc.returncode}: "
                                     f"{self.proc.stderr.read()} {self.error_log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"nginx not listening on {self.port}: {self.error_log()}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def destroy(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def error_log(self):
        try:
            return (self.dir / "error.log").read_text()
        except OSError:
            return ""

    def access_log(self):
        try:
            text = (self.dir / "access.log").read_text()
        except OSError:
            return []
        return [json.loads(l) for l in text.splitlines() if l.strip()]

#!/usr/bin/env python3
"""vdirsyncer against Radicale and against Cardex's CardDAV endpoint, one address book of N cards.

For each N and each server: a warm-up listing, then REPEATS rounds of: an initial `vdirsyncer
sync` into a fresh folder with a fresh status directory, 10 cards changed on the server side, and
a second (incremental) `vdirsyncer sync`. Then, REPEATS times, the raw server side of an
incremental sync-collection REPORT (curl, with the token a PROPFIND gave before 10 changes) and of
the PROPFIND Depth: 1 listing vdirsyncer sends on every sync. Medians are printed as a table.

Run it through bench.sh, which installs the pinned packages (requirements.txt) first.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

CHANGED = 10


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"bench: {what} exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"bench: {what} did not listen on {port} within {timeout} s")


def vcard(i, round_=0):
    """A vCard 3.0 contact as phones export them; round_ > 0 changes its name."""
    suffix = f" (changed {round_})" if round_ else ""
    return "\r\n".join([
        "BEGIN:VCARD", "VERSION:3.0", f"UID:bench-{i:05d}", f"FN:Person {i:05d}{suffix}", f"N:{i:05d}{suffix};Person;;;",
        f"TEL;TYPE=CELL:+1555{i:07d}", f"EMAIL;TYPE=HOME:person{i:05d}@example.com", "END:VCARD", ""])


class Folder:
    """No server: vdirsyncer syncing a folder of N .vcf into another, its own work with no HTTP.
    What a server's sync takes beyond this is what the server (and vdirsyncer's HTTP and XML
    handling of its answers) adds."""
    name = "no server"

    def __init__(self, work, n):
        self.work, self.n = work, n
        self.source = os.path.join(work, "source")
        os.makedirs(self.source)
        for i in range(1, n + 1):
            with open(os.path.join(self.source, f"bench-{i:05d}.vcf"), "w", newline="") as f:
                f.write(vcard(i))
        self.storage = f'type = "filesystem"\npath = "{self.source}/"\nfileext = ".vcf"\n'

    def change(self, round_):
        for i in range(1, CHANGED + 1):
            with open(os.path.join(self.source, f"bench-{i:05d}.vcf"), "w", newline="") as f:
                f.write(vcard(i, round_))

    def stop(self):
        pass


class Radicale:
    name = "Radicale"

    def __init__(self, work, n):
        self.work, self.n = work, n
        self.root = os.path.join(work, "radicale")
        self.collection = os.path.join(self.root, "collection-root", "bench", "book")
        os.makedirs(self.collection)
        # Seeded on disk: Radicale's layout is one file per item beside the collection's props.
        with open(os.path.join(self.collection, ".Radicale.props"), "w") as f:
            json.dump({"tag": "VADDRESSBOOK", "D:displayname": "book"}, f)
        for i in range(1, n + 1):
            with open(os.path.join(self.collection, f"bench-{i:05d}.vcf"), "w", newline="") as f:
                f.write(vcard(i))
        self.port = free_port()
        config = os.path.join(work, "radicale.conf")
        with open(config, "w") as f:
            f.write(f"[server]\nhosts = 127.0.0.1:{self.port}\n[auth]\ntype = none\n"
                    f"[storage]\nfilesystem_folder = {self.root}\n[logging]\nlevel = warning\n")
        self.log = open(os.path.join(work, "radicale.log"), "w")
        self.process = subprocess.Popen([sys.executable, "-m", "radicale", "--config", config], stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.process, "radicale")
        self.url = f"http://127.0.0.1:{self.port}/bench/book/"
        self.auth = ("bench", "bench")
        self.storage = carddav_storage(self.url, self.auth)
        self.curl_options = []

    def change(self, round_):
        for i in range(1, CHANGED + 1):
            with open(os.path.join(self.collection, f"bench-{i:05d}.vcf"), "w", newline="") as f:
                f.write(vcard(i, round_))

    def stop(self):
        self.process.terminate()
        self.process.wait()


class Cardex:
    name = "Cardex"

    def __init__(self, work, n, binary):
        self.work, self.n, self.binary = work, n, binary
        self.data = os.path.join(work, "cardex-data")
        self.log_path = os.path.join(work, "cardex.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--port", "0", "--carddav", "0", "--data-dir", self.data, "--default-region", "US",
             "--test-number-prefix", "+1555"], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            text = open(self.log_path).read()
            found = re.search(r"address=(\S+) carddav=https://[^ ]*:(\d+)/", text)
            if found:
                break
            if self.process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"bench: cardex serve did not start: {text}")
            time.sleep(0.1)
        self.address, self.port = found.group(1), int(found.group(2))
        self.ca = os.path.join(self.data, "dev-ca.pem")
        self.profile = os.path.join(work, "profile.json")
        number = "+15550109999"
        self.cli("register", number)
        self.cli("verify", number, self.code_for(number), "--device", "bench")
        user = json.load(open(self.profile))["userID"]
        book = os.path.join(work, "book.vcf")
        with open(book, "w", newline="") as f:
            f.writelines(vcard(i) for i in range(1, n + 1))
        uploaded = self.cli("book", "upload", book)
        if not uploaded.startswith(f"added {n}, "):
            sys.exit(f"bench: cardex book upload: {uploaded}")
        made = self.cli("app-password", "create", "--device", "vdirsyncer")
        username = re.search(r"^user name: *(\S+)", made, re.M).group(1)
        password = re.search(r"^password: *(\S+)", made, re.M).group(1)
        self.url = f"https://localhost:{self.port}/dav/books/{user}/book/"
        self.auth = (username, password)
        self.storage = carddav_storage(self.url, self.auth) + f'verify = "{self.ca}"\n'
        self.curl_options = ["--cacert", self.ca]

    def cli(self, *args):
        env = dict(os.environ, CARDEX_PROFILE=self.profile)
        done = subprocess.run([self.binary, *args, "--server", self.address, "--ca", self.ca], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"bench: cardex {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout

    def code_for(self, number):
        for _ in range(100):
            try:
                for line in open(os.path.join(self.data, "notifications.log")):
                    if f'"to":"{number}"' in line and (code := re.search(r"code is (\d{6})", line)):
                        return code.group(1)
            except FileNotFoundError:
                pass
            time.sleep(0.1)
        sys.exit(f"bench: no code for {number}")

    def change(self, round_):
        path = os.path.join(self.work, f"changes-{round_}.vcf")
        with open(path, "w", newline="") as f:
            f.writelines(vcard(i, round_) for i in range(1, CHANGED + 1))
        uploaded = self.cli("book", "upload", path)
        if not uploaded.startswith(f"added 0, changed {CHANGED}, "):
            sys.exit(f"bench: cardex book upload of the changes: {uploaded}")

    def stop(self):
        self.process.terminate()
        self.process.wait()


def carddav_storage(url, auth):
    """vdirsyncer's storage section for one CardDAV collection."""
    return f'type = "carddav"\nurl = "{url}"\nusername = "{auth[0]}"\npassword = "{auth[1]}"\n'


def vdirsyncer_sync(server, work, label):
    """Times `vdirsyncer sync` of the server's one collection into work/label (fresh when new)."""
    local, status, config = (os.path.join(work, label, x) for x in ("local", "status", "config"))
    if not os.path.exists(config):
        os.makedirs(local)
        with open(config, "w") as f:
            f.write(f'[general]\nstatus_path = "{status}/"\n\n'
                    f'[pair bench]\na = "remote"\nb = "local"\ncollections = null\nconflict_resolution = "a wins"\n\n'
                    f'[storage remote]\n{server.storage}\n'
                    f'[storage local]\ntype = "filesystem"\npath = "{local}/"\nfileext = ".vcf"\n')
        # A one-off setup step, not timed: vdirsyncer refuses to sync a pair not discovered.
        done = subprocess.run(["vdirsyncer", "--config", config, "discover"], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"bench: vdirsyncer discover against {server.name} failed: {done.stdout}{done.stderr}")
    start = time.monotonic()
    done = subprocess.run(["vdirsyncer", "--config", config, "sync"], capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"bench: vdirsyncer sync against {server.name} failed: {done.stdout}{done.stderr}")
    return elapsed, len(os.listdir(local))


def curl(server, method, body, depth=None):
    """(seconds, body) of one request, timed by curl itself."""
    command = ["curl", "-sS", "-X", method, "-u", f"{server.auth[0]}:{server.auth[1]}", *server.curl_options,
               "-H", "Content-Type: application/xml; charset=utf-8", "--data-binary", body, "-w", "\n%{http_code} %{time_total}", server.url]
    if depth is not None:
        command[1:1] = ["-H", f"Depth: {depth}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    text, _, tail = out.rpartition("\n")
    code, seconds = tail.split()
    if code != "207":
        sys.exit(f"bench: {method} on {server.name} answered {code}: {text[:500]}")
    return float(seconds), text


PROPFIND_TOKEN = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:sync-token/></d:prop></d:propfind>'
PROPFIND_ETAGS = ('<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getcontenttype/>'
                  '<d:getetag/></d:prop></d:propfind>')


def sync_report(token):
    return ('<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:">'
            f'<d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>')


def measure(server, work, repeats, round_base):
    # Warm-up: both servers have read (and Radicale has cached) every item once before timing.
    if not isinstance(server, Folder):
        curl(server, "PROPFIND", PROPFIND_ETAGS, depth="1")
    initial, incremental = [], []
    for r in range(repeats):
        label = f"sync-{r}"
        seconds, count = vdirsyncer_sync(server, work, label)
        if count != server.n:
            sys.exit(f"bench: the initial sync from {server.name} wrote {count} cards, not {server.n}")
        initial.append(seconds)
        server.change(round_base + r)
        seconds, _ = vdirsyncer_sync(server, work, label)
        incremental.append(seconds)
        changed = open(os.path.join(work, label, "local", "bench-00001.vcf")).read()
        if f"(changed {round_base + r})" not in changed:
            sys.exit(f"bench: the incremental sync from {server.name} did not bring the change: {changed}")
        shutil.rmtree(os.path.join(work, label))
    report, listing = [], []
    if isinstance(server, Folder):
        return {"initial": statistics.median(initial), "incremental": statistics.median(incremental), "report": None,
                "propfind": None, "all": {"initial": initial, "incremental": incremental}}
    for r in range(repeats):
        _, answer = curl(server, "PROPFIND", PROPFIND_TOKEN, depth="0")
        token = re.search(r"<[a-zA-Z]*:?sync-token>([^<]+)</", answer).group(1)
        server.change(round_base + repeats + r)
        seconds, answer = curl(server, "REPORT", sync_report(token))
        responses = answer.count("response>") // 2
        if responses < CHANGED:
            sys.exit(f"bench: the sync-collection REPORT of {server.name} named {responses} cards: {answer[:1000]}")
        report.append(seconds)
        seconds, answer = curl(server, "PROPFIND", PROPFIND_ETAGS, depth="1")
        listing.append(seconds)
    return {name: statistics.median(values) for name, values in
            (("initial", initial), ("incremental", incremental), ("report", report), ("propfind", listing))} | {
        "all": {"initial": initial, "incremental": incremental, "report": report, "propfind": listing}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bin_dir")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    release = os.path.join(repo, ".build", "release", "cardex")
    if os.path.exists(release):
        binary = release
    else:
        binary = os.path.join(os.path.abspath(args.bin_dir), "cardex")
    build = "release" if "/release/" in os.path.realpath(binary) else "debug"
    if build != "release":
        print(f"bench: WARNING: {binary} is a {build} build; quote figures from a release build "
              "(swift build -c release --product cardex, then run this again)", file=sys.stderr)
    sizes = [int(s) for s in args.sizes.split(",")]
    vdirsyncer_version = subprocess.run(["vdirsyncer", "--version"], capture_output=True, text=True).stdout.strip()
    radicale_version = subprocess.run([sys.executable, "-m", "radicale", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"bench: {datetime.date.today()} {platform.node()} {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{vdirsyncer_version}, Radicale {radicale_version}, cardex {binary} ({build}); load average {os.getloadavg()[0]:.1f}",
          file=sys.stderr)
    results = {}
    for n in sizes:
        for kind in ("no server", "Radicale", "Cardex"):
            work = tempfile.mkdtemp(prefix=f"carddav-bench-{kind.replace(' ', '-')}-{n}-")
            started = time.monotonic()
            server = {"no server": lambda: Folder(work, n), "Radicale": lambda: Radicale(work, n), "Cardex": lambda: Cardex(work, n, binary)}[kind]()
            print(f"bench: {kind} with {n} cards seeded in {time.monotonic() - started:.1f} s", file=sys.stderr)
            try:
                results[(kind, n)] = measure(server, work, args.repeats, round_base=1)
            finally:
                server.stop()
                shutil.rmtree(work, ignore_errors=True)
            r = results[(kind, n)]
            print(f"bench: {kind} {n}: {json.dumps(r['all'])}; load average {os.getloadavg()[0]:.1f}", file=sys.stderr)

    print(f"\nvdirsyncer sync of one address book, medians of {args.repeats} (seconds); cardex build: {build}")
    print(f"{'server':<9} {'N':>6} {'initial':>9} {'increm.':>9} {'REPORT':>9} {'PROPFIND':>9}")
    def seconds(value):
        return f"{value:>9.3f}" if value is not None else f"{'-':>9}"
    for (kind, n), r in results.items():
        print(f"{kind:<9} {n:>6} {r['initial']:>9.2f} {r['incremental']:>9.2f} {seconds(r['report'])} {seconds(r['propfind'])}")
    print("  initial: first sync, fresh folder; increm.: the sync after 10 changes on the server;")
    print("  REPORT: sync-collection with the previous token after 10 changes (curl); PROPFIND: Depth 1 getetag listing (curl);")
    print("  no server: vdirsyncer from a folder of the same cards into another, its own work without HTTP")
    print("\nratios")
    for n in sizes:
        if ("Cardex", n) in results and ("Radicale", n) in results:
            c, r = results[("Cardex", n)], results[("Radicale", n)]
            print(f"  Cardex/Radicale at {n}: initial {c['initial'] / r['initial']:.2f}, incremental {c['incremental'] / r['incremental']:.2f}, "
                  f"REPORT {c['report'] / r['report']:.2f}, PROPFIND {c['propfind'] / r['propfind']:.2f}")
    print("\nwhat each server adds to vdirsyncer's own work (its time minus the no-server sync's)")
    for n in sizes:
        if all((k, n) in results for k in ("no server", "Radicale", "Cardex")):
            floor, c, r = results[("no server", n)], results[("Cardex", n)], results[("Radicale", n)]
            added = {k: {p: v[p] - floor[p] for p in ("initial", "incremental")} for k, v in (("Cardex", c), ("Radicale", r))}
            print(f"  at {n}: Radicale initial {added['Radicale']['initial']:.2f} s, incremental {added['Radicale']['incremental']:.2f} s; "
                  f"Cardex initial {added['Cardex']['initial']:.2f} s, incremental {added['Cardex']['incremental']:.2f} s; "
                  f"Radicale/Cardex {added['Radicale']['initial'] / added['Cardex']['initial']:.1f}x and "
                  f"{added['Radicale']['incremental'] / added['Cardex']['incremental']:.1f}x")
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        for kind in ("Radicale", "Cardex"):
            if (kind, small) in results and (kind, large) in results:
                a, b = results[(kind, small)], results[(kind, large)]
                print(f"  {kind} {large}/{small}: initial {b['initial'] / a['initial']:.2f}, incremental {b['incremental'] / a['incremental']:.2f}, "
                      f"REPORT {b['report'] / a['report']:.2f}, PROPFIND {b['propfind'] / a['propfind']:.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({f"{k} {n}": v for (k, n), v in results.items()}, f, indent=1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Runs in the test VM (real systemd, machined, soft-RoCE rxe0): times nspawn-native against the C tools an
operator would run instead, interleaved in the same boot, and prints one JSON document between the lines
BENCH-JSON-BEGIN and BENCH-JSON-END. The product never runs these tools; the benchmark does, as the yardstick."""
import json, os, re, statistics, subprocess, sys, time

NN = os.environ.get("NSPAWN_NATIVE_BIN", "/usr/local/bin/nspawn-native")
DEV = "rxe0"
GID = os.environ.get("BENCH_GID", "1")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
ONESHOT_RUNS = int(os.environ.get("BENCH_ONESHOT_RUNS", "15"))
WARM_CMDS = int(os.environ.get("BENCH_WARM_CMDS", "40"))
MACHINE = "bench1"


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def summary(values):
    values = sorted(values)
    return {"median": statistics.median(values), "min": values[0], "max": values[-1], "n": len(values)}


def ratio(ours, theirs):
    return ours["median"] / theirs["median"] if theirs["median"] else None


# ------------------------------------------------------------------ ping-pong
PP_RE = {
    "mbit": re.compile(r"bytes in [\d.]+ seconds = ([\d.]+) Mbit/sec"),
    "usec": re.compile(r"iters in [\d.]+ seconds = ([\d.]+) usec/iter"),
}


def pingpong(kind, size, iters, port):
    common = ["-d", DEV, "-g", GID, "-s", str(size), "-n", str(iters), "-p", str(port)]
    if kind == "theirs":
        server = ["ibv_rc_pingpong"] + common
        client = ["ibv_rc_pingpong"] + common + ["127.0.0.1"]
    else:
        server = [NN, "selftest", "server"] + common
        client = [NN, "selftest", "client", "127.0.0.1"] + common
    srv = subprocess.Popen(server, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    try:
        cli = run(client, timeout=300)
    finally:
        try:
            srv.wait(timeout=60)
        except subprocess.TimeoutExpired:
            srv.kill()
    out = cli.stdout + cli.stderr
    m, u = PP_RE["mbit"].search(out), PP_RE["usec"].search(out)
    if cli.returncode != 0 or not m or not u:
        raise RuntimeError(f"{kind} ping-pong size {size} failed (exit {cli.returncode}): {out.strip()[-400:]}")
    return float(u.group(1)), float(m.group(1))


def bench_pingpong():
    results = []
    port = 18600
    for size, iters in ((64, 2000), (4096, 1000), (65536, 200)):
        lat = {"ours": [], "theirs": []}
        bw = {"ours": [], "theirs": []}
        for r in range(ROUNDS):
            for kind in (("ours", "theirs") if r % 2 == 0 else ("theirs", "ours")):
                port += 1
                u, m = pingpong(kind, size, iters, port)
                lat[kind].append(u)
                bw[kind].append(m)
        row = {"size": size, "iters": iters}
        for kind in ("ours", "theirs"):
            row[f"usec_{kind}"] = summary(lat[kind])
            row[f"mbit_{kind}"] = summary(bw[kind])
        row["latency_ratio"] = ratio(row["usec_ours"], row["usec_theirs"])
        row["bandwidth_ratio"] = ratio(row["mbit_ours"], row["mbit_theirs"])
        log(f"ping-pong {size} B: latency ratio {row['latency_ratio']:.3f}, bandwidth ratio {row['bandwidth_ratio']:.3f}")
        results.append(row)
    return results


# ------------------------------------------------------------------ one-shot and warm commands
def oneshot_ms(argv, runs=ONESHOT_RUNS):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = run(argv)
        t1 = time.perf_counter()
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed (exit {r.returncode}): {r.stderr.strip()[-300:]}")
        times.append((t1 - t0) * 1000)
    return summary(times)


def warm_ms(line, count=WARM_CMDS):
    """Per-command time inside one running shell: (T(count lines) - T(1 line)) / (count - 1), several rounds."""
    def script_time(n):
        t0 = time.perf_counter()
        r = subprocess.run([NN], input=(line + "\n") * n, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        t1 = time.perf_counter()
        if r.returncode != 0:
            raise RuntimeError(f"script of '{line}' failed (exit {r.returncode}): {r.stderr.strip()[-300:]}")
        return (t1 - t0) * 1000
    values = []
    for _ in range(3):
        one, many = script_time(1), script_time(count)
        values.append(max(many - one, 0.0) / (count - 1))
    return summary(values)


def peak_rss_kib(lines):
    """VmHWM of a shell that has run the given lines (script mode, standard input kept open until measured)."""
    p = subprocess.Popen([NN], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in lines:
        p.stdin.write(line + "\n")
    p.stdin.write("version\n")
    p.stdin.flush()
    time.sleep(3)  # let the lines run; the shell blocks on standard input afterwards
    with open(f"/proc/{p.pid}/status") as f:
        hwm = int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))
    p.stdin.close()
    p.wait(timeout=60)
    return hwm


def start_machine():
    run(["sh", "-c", f"rm -rf /var/lib/machines/{MACHINE} && cp -a /srv/ctr-rootfs /var/lib/machines/{MACHINE}"])
    r = run(["machinectl", "start", MACHINE])
    if r.returncode != 0:
        raise RuntimeError(f"machinectl start failed: {r.stderr}")
    for _ in range(120):
        if run(["machinectl", "show", MACHINE, "-p", "State", "--value"]).stdout.strip() == "running":
            return
        time.sleep(0.5)
    raise RuntimeError("the bench machine did not start")


def main():
    doc = {"kernel": os.uname().release, "cpus": os.cpu_count()}
    with open("/proc/cpuinfo") as f:
        doc["hypervisor"] = "hypervisor" in f.read()
    doc["binary_bytes"] = os.path.getsize(NN)
    log("ping-pong rounds")
    doc["pingpong"] = bench_pingpong()
    log("machine listing")
    start_machine()
    doc["list"] = {
        "oneshot_ours": oneshot_ms([NN, "list"]),
        "oneshot_theirs": oneshot_ms(["machinectl", "list"]),
        "warm_ours": warm_ms("list"),
    }
    log("device listing")
    doc["hca"] = {
        "oneshot_ours": oneshot_ms([NN, "hca", "show"]),
        "oneshot_ibstat": oneshot_ms(["ibstat"]),
        "oneshot_ibv_devinfo": oneshot_ms(["ibv_devinfo", "-v"]),
        "warm_ours": warm_ms("hca show"),
    }
    log("peak RSS of the shell")
    doc["repl_peak_rss_kib"] = peak_rss_kib(["list", "hca show", "hca nodes", "list-images", "limits"] * 10)
    run(["machinectl", "terminate", MACHINE])
    print("BENCH-JSON-BEGIN")
    print(json.dumps(doc, indent=1))
    print("BENCH-JSON-END", flush=True)


if __name__ == "__main__":
    main()

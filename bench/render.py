#!/usr/bin/env python3
"""render.py RESULTS_DIR README ACCEL: turns the benchmark results into bench/results/latest.md and replaces
the README's summary between <!-- bench:begin --> and <!-- bench:end -->."""
import csv, datetime, glob, json, os, platform, sys

out_dir, readme, accel = sys.argv[1], sys.argv[2], sys.argv[3]


def load(name):
    p = os.path.join(out_dir, name)
    return json.load(open(p)) if os.path.exists(p) else None


def fmt(s, unit=""):
    return f"{s['median']:.1f}{unit} ({s['min']:.1f}-{s['max']:.1f})"


def verdict(value, target, higher_is_better):
    if value is None:
        return "-"
    ok = value >= target if higher_is_better else value <= target
    return "meets" if ok else "misses"


lines = []
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
lines.append(f"Measured {now} on {cpu}, {os.cpu_count()} cores; the VM under {accel.upper()}.")
lines.append("Medians with (min-max) over the rounds; ratio = ours / theirs.")
lines.append("")

size = open(os.path.join(out_dir, "binary-bytes.txt")).read().strip() if os.path.exists(os.path.join(out_dir, "binary-bytes.txt")) else None
g = load("guest.json")
lines.append("| what | ours | theirs | ratio | target |")
lines.append("|---|---|---|---|---|")
if size:
    mb = int(size) / 1e6
    lines.append(f"| NativeAOT binary size | {mb:.1f} MB | - | - | < 10 MB: {verdict(mb, 10, False)} |")
if g:
    for row in g["pingpong"]:
        lr, br = row["latency_ratio"], row["bandwidth_ratio"]
        lines.append(f"| ping-pong {row['size']} B latency, usec/iter | {fmt(row['usec_ours'])} | {fmt(row['usec_theirs'])} "
                     f"(ibv_rc_pingpong) | {lr:.3f} | <= 1.05: {verdict(lr, 1.05, False)} |")
        lines.append(f"| ping-pong {row['size']} B bandwidth, Mbit/s | {fmt(row['mbit_ours'])} | {fmt(row['mbit_theirs'])} "
                     f"(ibv_rc_pingpong) | {br:.3f} | >= 0.95: {verdict(br, 0.95, True)} |")
    L = g["list"]
    r1 = L["oneshot_ours"]["median"] / L["oneshot_theirs"]["median"]
    lines.append(f"| `list` one-shot, ms | {fmt(L['oneshot_ours'])} | {fmt(L['oneshot_theirs'])} (machinectl list) | {r1:.2f} | <= 3: {verdict(r1, 3, False)} |")
    r2 = L["warm_ours"]["median"] / L["oneshot_theirs"]["median"]
    lines.append(f"| `list` warm in the shell, ms | {fmt(L['warm_ours'])} | {fmt(L['oneshot_theirs'])} (spawning machinectl) | {r2:.2f} | <= 0.5: {verdict(r2, 0.5, False)} |")
    H = g["hca"]
    for other, name in (("oneshot_ibstat", "ibstat"), ("oneshot_ibv_devinfo", "ibv_devinfo -v")):
        r = H["oneshot_ours"]["median"] / H[other]["median"]
        lines.append(f"| `hca show` one-shot, ms | {fmt(H['oneshot_ours'])} | {fmt(H[other])} ({name}) | {r:.2f} | - |")
        r = H["warm_ours"]["median"] / H[other]["median"]
        lines.append(f"| `hca show` warm in the shell, ms | {fmt(H['warm_ours'])} | {fmt(H[other])} ({name}) | {r:.2f} | - |")
    rss = g["repl_peak_rss_kib"] / 1024
    lines.append(f"| shell peak RSS after 50 commands | {rss:.1f} MiB | - | - | < 40 MiB: {verdict(rss, 40, False)} |")

host_rows = []
for f in sorted(glob.glob(os.path.join(out_dir, "host", "results", "*-report.csv"))):
    for r in csv.DictReader(open(f)):
        host_rows.append((r.get("Method", "?"), r.get("Mean", "?"), r.get("StdDev", "?"), r.get("Allocated", "?")))
if host_rows:
    lines.append("")
    lines.append("Host micro-benchmarks (BenchmarkDotNet, short run):")
    lines.append("")
    lines.append("| benchmark | mean | stddev | allocated |")
    lines.append("|---|---|---|---|")
    for m, mean, sd, alloc in host_rows:
        lines.append(f"| {m} | {mean} | {sd} | {alloc} |")

text = "\n".join(lines) + "\n"
open(os.path.join(out_dir, "latest.md"), "w").write(text)

src = open(readme).read()
begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
if begin in src and end in src:
    head, rest = src.split(begin, 1)
    _, tail = rest.split(end, 1)
    open(readme, "w").write(head + begin + "\n" + text + end + tail)

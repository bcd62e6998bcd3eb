#!/usr/bin/env python3
"""Hostile but fair cases against the release command-line tools (issue #24).

Runs each case in a fresh copy of a tiny finished run and sorts what happened:
  ok        exit 0
  refused   exit 1 or 64 with a message and no trap
  crash     killed by a signal, or a Swift runtime trap message
  hang      still running after the case's time limit (a run that started training a large budget it
            accepted, its config.json written, is ok)
  wrong     a case that must be refused (corrupt data, NaN settings) exited 0
  lost      a record or the checkpoint went missing
Prints one line per case that is not fine, then a table by category and outcome, and exits 1
when any case crashed, hung, was wrong or lost data.

Usage: swift build -c release && Tools/hostile-suite.py [--quick] [--keep DIR]
Root is needed for the full-disk cases (a small tmpfs); without it they are skipped.
"""
import json, os, random, shutil, signal, struct, subprocess, sys, tempfile, time
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release")
QUICK = "--quick" in sys.argv
rng = random.Random(24)
work = tempfile.mkdtemp(prefix="hostile-")

# A run that trains in about a second, so that accepted settings finish quickly.
TINY = ("--env-steps 400 --num-envs 2 --unroll-length 10 --prefill-steps 20 --replay-capacity 200 "
        "--updates-per-round 1 --evaluations 2 --evaluation-episodes 2 --episode-length 30 --width 8 "
        "--batch-size 8 --window-length 20 --representation-size 4 --threads 1").split()
TRAPS = ("Fatal error", "Illegal instruction", "Segmentation fault", "Aborted", "Trace/breakpoint", "core dumped")

results = []  # (category, case, outcome, detail)


def run(argv, timeout=60, cwd=None):
    """Runs one tool; returns (status or None on timeout, stdout, stderr)."""
    try:
        p = subprocess.run(argv, cwd=cwd or work, capture_output=True, text=True, errors="replace", timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        return None, out, ""


def outcome(status, out, err, expect):
    if status is None:
        return "hang"
    if status < 0 or status >= 128 or any(t in err for t in TRAPS):
        return "crash"
    if status == 0:
        return "wrong" if expect == "refuse" else "ok"
    if status in (1, 64) and err.strip():
        return "wrong" if expect == "ok" else "refused"
    return "crash"


def record(category, case, status, out, err, expect="any", lost=None):
    """Files one case's outcome; `lost` names records or files that went missing."""
    kind = "lost" if lost else outcome(status, out, err, expect)
    detail = lost or (err.strip().splitlines() or out.strip().splitlines() or [""])[-1][:200]
    results.append((category, case, kind, detail))


def tool(name, *args):
    return [os.path.join(BIN, name), *args]


def fresh(template, name):
    path = os.path.join(work, name)
    shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(template, path)
    return path


def metric_lines(directory):
    lines = []
    for name in ("metrics.jsonl", "metrics.after-checkpoint.jsonl"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            lines += [l for l in open(path, errors="replace").read().split("\n") if l]
    return lines


# --- A template run ------------------------------------------------------------------------
template = os.path.join(work, "template")
status, out, err = run(tool("train", *TINY, "--output", template), timeout=300)
if status != 0:
    sys.exit(f"the tiny template run failed ({status}): {err}")


# --- Flags ---------------------------------------------------------------------------------
NUMERIC = [a[2:] for a in """--env-steps --num-envs --unroll-length --prefill-steps --replay-capacity --updates-per-round
--training-metrics-interval --evaluations --evaluation-episodes --episode-length --seed --threads --depth --critic-depth
--actor-depth --width --critic-width --actor-width --learning-rate --batch-size --discount --representation-size
--logsumexp-penalty --window-length --actor-averaging-rate --target-entropy --relabel-fraction --future-goals
--target-update-rate --initial-temperature --exploration-noise --target-noise --target-noise-clip --policy-delay
--action-penalty --preactivation-penalty""".split()]
CHOICES = ["prefill-actions", "residual", "layer-norm", "activation", "recompute", "energy", "objective", "env", "algorithm"]
NOT_FINITE = ["nan", "inf", "-inf", "1e309"]
VALUES = ["-1", "0", "1", "3", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
          "1.5", "1e-45", "0x10", "", "x", *NOT_FINITE]
flags = NUMERIC if not QUICK else NUMERIC[:6]
for flag in flags:
    for value in VALUES:
        algorithm = "td3" if flag in ("exploration-noise", "target-noise", "target-noise-clip", "policy-delay",
                                      "action-penalty", "preactivation-penalty") else \
            "sac" if flag in ("target-update-rate", "initial-temperature", "target-entropy") else "crl"
        out_dir = os.path.join(work, f"flag-{flag}-{abs(hash(value))}")
        status, out, err = run(tool("train", *TINY, "--algorithm", algorithm, f"--{flag}={value}", "--output", out_dir), timeout=90)
        if status is None and os.path.exists(os.path.join(out_dir, "config.json")):
            status, err = 0, "accepted: still training a large budget at the time limit"
        must_refuse = value in NOT_FINITE or value in ("", "x")
        record("flags", f"train --algorithm {algorithm} --{flag}={value}", status, out, err, "refuse" if must_refuse else "any")
        shutil.rmtree(out_dir, ignore_errors=True)
for flag in CHOICES:
    for value in ["", "x", "1", "TRUE", "nan", "point-maze-u/../x"]:
        out_dir = os.path.join(work, f"choice-{flag}")
        status, out, err = run(tool("train", *TINY, f"--{flag}={value}", "--output", out_dir), timeout=90)
        record("flags", f"train --{flag}={value}", status, out, err, "any")
        shutil.rmtree(out_dir, ignore_errors=True)
for args in (["--episodes", "0"], ["--episodes", "9223372036854775807"], ["--draw=-1"], ["--draw", "9223372036854775807"],
             ["--samples-per-cell", "0"], ["--samples-per-cell", "9223372036854775807"], ["--goal-cell", "99,99"],
             ["--goal-cell", "-1,-1"], ["--goal-cell", "9223372036854775807,1"], ["--goal-cell", ","], ["--threads", "0"],
             ["--seed=-1"], ["--output", "/proc/nonexistent/x"]):
    status, out, err = run(tool("evaluate", fresh(template, "eval-flags"), "--episodes", "2", *args))
    record("flags", "evaluate " + " ".join(args), status, out, err, "any")
for args in (["--env-steps", "400", "--quick"], ["--seeds", "0"], ["--seeds", "9223372036854775807"], ["--seeds=-1"],
             ["--shard", "0/0"], ["--shard", "3/2"], ["--shard", "1/9223372036854775807"], ["--shard", "x"],
             ["--depths", ""], ["--depths", "0"], ["--depths", "9223372036854775807"], ["--depths", "4,4"], ["--depths", "-4"]):
    status, out, err = run(tool("study", "depth", "--quick", *args, "--output", os.path.join(work, "study")), timeout=300)
    record("flags", "study depth --quick " + " ".join(args), status, out, err, "any")
    shutil.rmtree(os.path.join(work, "study"), ignore_errors=True)
for args in (["--depths", ""], ["--depths", "0,4"], ["--widths", "-8"], ["--depths", "9223372036854775807"]):
    status, out, err = run(tool("sweep", *TINY, *args, "--output", os.path.join(work, "sweep")), timeout=120)
    record("flags", "sweep " + " ".join(args), status, out, err, "any")
    shutil.rmtree(os.path.join(work, "sweep"), ignore_errors=True)
for _ in range(20 if QUICK else 120):  # random command lines
    words = [rng.choice(["--" + rng.choice(NUMERIC + CHOICES), rng.choice(VALUES), "--resume", "--help", "-x", "--"])
             for _ in range(rng.randint(1, 6))]
    out_dir = os.path.join(work, "random-flags")
    status, out, err = run(tool("train", *TINY, *words, "--output", out_dir), timeout=90)
    record("random command lines", "train … " + " ".join(words), status, out, err, "any")
    shutil.rmtree(out_dir, ignore_errors=True)


# --- Files ---------------------------------------------------------------------------------
def safetensors_parts(path):
    data = open(path, "rb").read()
    (length,) = struct.unpack("<Q", data[:8])
    return data, length, json.loads(data[8:8 + length])


def write_safetensors(path, header, payload):
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    open(path, "wb").write(struct.pack("<Q", len(text)) + text + payload)


def loaders(directory):
    """The tools that read a run directory: evaluate, resume (extending the run) and plot."""
    return [("evaluate", tool("evaluate", directory, "--episodes", "2", "--samples-per-cell", "1", "--threads", "1")),
            ("resume", tool("train", "--resume", directory, "--env-steps", "800")),
            ("plot", tool("plot", directory, "--output", os.path.join(work, "plot.svg")))]


def file_case(category, case, mutate, expect_evaluate="any", expect_resume=None, check_records=True):
    directory = fresh(template, "file-case")
    mutate(directory)
    before = metric_lines(directory)
    for name, argv in loaders(directory):
        expect = expect_evaluate if name == "evaluate" else (expect_resume or expect_evaluate) if name == "resume" else "any"
        status, out, err = run(argv, timeout=120)
        lost = None
        if name == "resume" and check_records:
            after = metric_lines(directory)
            missing = [l for l in before if l not in after]
            if missing:
                lost = f"{len(missing)} metrics lines gone after resume"
        record(category, f"{case} → {name}", status, out, err, expect if name != "plot" else "any", lost)


checkpoint = os.path.join(template, "checkpoint.safetensors")
data, header_length, header = safetensors_parts(checkpoint)
payload_start = 8 + header_length

# Bytes: truncations and flips in the header and in the tensors.
for cut in [0, 4, 8, 16, header_length // 2, payload_start, payload_start + 1, (payload_start + len(data)) // 2, len(data) - 1]:
    file_case("checkpoint bytes", f"truncated at {cut}", lambda d, cut=cut: open(os.path.join(d, "checkpoint.safetensors"), "r+b").truncate(cut), "refuse")
for i in range(8 if QUICK else 60):
    position = rng.randrange(payload_start, len(data))
    def flip(d, position=position):
        with open(os.path.join(d, "checkpoint.safetensors"), "r+b") as f:
            f.seek(position); byte = f.read(1)[0]; f.seek(position); f.write(bytes([byte ^ (1 << rng.randrange(8))]))
    file_case("checkpoint bytes", f"data bit flipped at {position}", flip, "refuse", check_records=False)
for i in range(8 if QUICK else 40):
    position = rng.randrange(0, payload_start)
    def flip_header(d, position=position):
        with open(os.path.join(d, "checkpoint.safetensors"), "r+b") as f:
            f.seek(position); f.write(bytes([rng.randrange(256)]))
    file_case("checkpoint bytes", f"header byte {position} replaced", flip_header, "any", check_records=False)
for length in [2**63 - 1, 2**64 - 1, len(data), header_length + 1, header_length - 1]:
    def relength(d, length=length):
        with open(os.path.join(d, "checkpoint.safetensors"), "r+b") as f:
            f.write(struct.pack("<Q", length))
    file_case("checkpoint bytes", f"header length {length}", relength, "refuse")
file_case("checkpoint bytes", "4 KiB of garbage appended",
          lambda d: open(os.path.join(d, "checkpoint.safetensors"), "ab").write(os.urandom(4096)), "any")

# Metadata values.
metadata = header.get("__metadata__", {})
TRAINER_KEYS = {"completed_rounds", "env_steps", "generator", "gradient_steps", "replay_count", "replay_write_position", "wall_seconds"}
checksums = sorted(k for k in metadata if k.startswith("crc32c."))
for key in sorted(k for k in metadata if not k.startswith("crc32c.")) + rng.sample(checksums, 3):
    for value in ["-1", "0", "1e20", "inf", "-inf", "nan", "9223372036854775807", "9223372036854775808",
                  "-9223372036854775808", "1.5", "", "x", "null"]:
        def set_value(d, key=key, value=value):
            h = dict(header); m = dict(metadata); m[key] = value; h["__metadata__"] = m
            write_safetensors(os.path.join(d, "checkpoint.safetensors"), h, data[payload_start:])
        must = "refuse" if value in ("inf", "-inf", "nan", "x", "", "null") or value.startswith("9") and key != "generator" else "any"
        # evaluate reads the agent, not the trainer's counters; resume must refuse them.
        file_case("checkpoint metadata", f"{key} = {value!r}", set_value, "any" if key in TRAINER_KEYS else must, must)
    def drop(d, key=key):
        h = dict(header); m = dict(metadata); del m[key]; h["__metadata__"] = m
        write_safetensors(os.path.join(d, "checkpoint.safetensors"), h, data[payload_start:])
    file_case("checkpoint metadata", f"{key} removed", drop, "any")
# Tensor entries: shapes, offsets, dtypes.
for name in sorted(k for k in header if k != "__metadata__")[: 3 if QUICK else 12]:
    for field, value in [("shape", [2**62, 2**62]), ("shape", [-1]), ("shape", []), ("dtype", "F64"), ("dtype", "Q"),
                         ("data_offsets", [0, 2**63]), ("data_offsets", [8, 4]), ("data_offsets", [0, 0])]:
        def edit(d, name=name, field=field, value=value):
            h = json.loads(json.dumps(header)); h[name][field] = value
            write_safetensors(os.path.join(d, "checkpoint.safetensors"), h, data[payload_start:])
        file_case("checkpoint tensors", f"{name}.{field} = {value}", edit, "refuse")

# config.json values.
config = json.load(open(os.path.join(template, "config.json")))


def leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, path + (k,))
    elif not isinstance(node, list):
        yield path


for path in list(leaves(config)):
    for value in ([-1, 0, 1e20, 9223372036854775807, 2**64, -2**63, 1.5, "x", None, True, "nan", []]
                  if not QUICK else [-1, 0, 9223372036854775807, "x"]):
        def set_config(d, path=path, value=value):
            c = json.loads(json.dumps(config)); node = c
            for k in path[:-1]:
                node = node[k]
            node[path[-1]] = value
            json.dump(c, open(os.path.join(d, "config.json"), "w"))
        file_case("config.json", f"{'.'.join(path)} = {value!r}", set_config, "any")
for other in ["point-maze-big", "point-maze-u4", "ant", "no-such-maze"]:
    def rename(d, other=other):
        c = json.loads(json.dumps(config)); c["environment"] = other
        json.dump(c, open(os.path.join(d, "config.json"), "w"))
    file_case("config.json", f"environment = {other}", rename, "refuse")
for text in [b"", b"{", b"\x00" * 64, os.urandom(256), b"[]", b"null", b'{"formatVersion": 99}']:
    file_case("config.json", f"replaced by {text[:12]!r}", lambda d, text=text: open(os.path.join(d, "config.json"), "wb").write(text), "refuse")

# metrics.jsonl: resume keeps every line somewhere.
metrics = open(os.path.join(template, "metrics.jsonl")).read().split("\n")
first = json.loads(metrics[0])
for label, extra in [("a truncated line", metrics[0][:40]), ("binary garbage", os.urandom(64).hex()),
                     ("a 1 MB line", "x" * 1_000_000), ("an extra field", json.dumps({**first, "mine": 1})),
                     ("a missing field", json.dumps({k: v for k, v in first.items() if k != "time_at_goal"})),
                     ("env_steps -1", json.dumps({**first, "env_steps": -1})),
                     ("env_steps Int.max", json.dumps({**first, "env_steps": 9223372036854775807})),
                     ("a later record", json.dumps({**first, "env_steps": 10**6})), ("an empty line", "")]:
    def add_line(d, extra=extra):
        with open(os.path.join(d, "metrics.jsonl"), "a") as f:
            f.write(extra + "\n")
    file_case("metrics.jsonl", f"{label} appended", add_line, "any")
file_case("metrics.jsonl", "emptied", lambda d: open(os.path.join(d, "metrics.jsonl"), "w").close(), "any", check_records=False)
file_case("metrics.jsonl", "removed", lambda d: os.remove(os.path.join(d, "metrics.jsonl")), "any", check_records=False)
file_case("run directory", "checkpoint removed", lambda d: os.remove(os.path.join(d, "checkpoint.safetensors")), "refuse", "any")
file_case("run directory", "config.json removed", lambda d: os.remove(os.path.join(d, "config.json")), "refuse")
file_case("run directory", "a stale lock", lambda d: open(os.path.join(d, ".lock"), "w").write("12345"), "any")
file_case("run directory", "a temporary file of a killed write",
          lambda d: shutil.copy(os.path.join(d, "checkpoint.safetensors"), os.path.join(d, ".checkpoint.safetensors.tmp-1")), "any")


# --- Faults --------------------------------------------------------------------------------
LONGER = [a if a != "400" else "3000" for a in TINY]
for i in range(4 if QUICK else 12):  # kill -9 at random moments, then resume
    directory = os.path.join(work, "killed")
    shutil.rmtree(directory, ignore_errors=True)
    p = subprocess.Popen(tool("train", *LONGER, "--evaluations", "6", "--output", directory),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)
    delay = rng.uniform(0.2, 4.0)
    time.sleep(delay)
    p.send_signal(signal.SIGKILL); p.wait()
    before = metric_lines(directory)
    status, out, err = run(tool("train", *LONGER, "--evaluations", "6", "--output", directory) if not os.path.exists(os.path.join(directory, "checkpoint.safetensors"))
                           else tool("train", "--resume", directory), timeout=300)
    after = metric_lines(directory)
    leftovers = [f for f in os.listdir(directory) if ".tmp" in f] if os.path.isdir(directory) else []
    lost = (f"{len([l for l in before if l not in after])} metrics lines lost" if any(l not in after for l in before) else
            f"temporary files left: {leftovers}" if leftovers else None)
    record("kill -9", f"killed after {delay:.1f} s, then resumed", status, out, err, "ok", lost)

for i in range(2 if QUICK else 4):  # two processes into one directory
    directory = os.path.join(work, "twice")
    shutil.rmtree(directory, ignore_errors=True)
    a = subprocess.Popen(tool("train", *LONGER, "--output", directory), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=work)
    time.sleep(0.3 * i)
    b = subprocess.Popen(tool("train", *LONGER, "--output", directory), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=work)
    (oa, ea), (ob, eb) = a.communicate(timeout=300), b.communicate(timeout=300)
    # One of the two must train and the other be refused with a message.
    first, second = sorted([(a.returncode, oa, ea), (b.returncode, ob, eb)], key=lambda r: r[0])
    lost = "both exited 0" if second[0] == 0 else None
    record("two writers", f"second started after {0.3 * i:.1f} s", second[0] if first[0] == 0 else first[0],
           second[1], second[2], "refuse", lost)

for label, options in [("standard output on a full disk", dict(stdout=open("/dev/full", "w"), stderr=subprocess.PIPE)),
                       ("standard output and error on a full disk", dict(stdout=open("/dev/full", "w"), stderr=open("/dev/full", "w"))),
                       ("standard output closed", dict(stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1)))]:
    directory = os.path.join(work, "output-fault")
    shutil.rmtree(directory, ignore_errors=True)
    p = subprocess.run(tool("train", *TINY, "--output", directory), cwd=work, text=True, timeout=120, **options)
    saved = os.path.exists(os.path.join(directory, "checkpoint.safetensors"))
    record("standard streams", label, p.returncode, "", p.stderr or "", "ok", None if saved else "no checkpoint")
pipe = subprocess.Popen(tool("train", *TINY, "--output", os.path.join(work, "piped")), stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=work)
pipe.stdout.read(10); pipe.stdout.close()  # a reader that stops early, as `| head -c 10` does
status = pipe.wait(timeout=120)
record("standard streams", "a reader that stops after 10 bytes", 0 if status in (0, -signal.SIGPIPE) else status, "", pipe.stderr.read().decode(), "ok")

if os.geteuid() == 0:  # a full disk: a small tmpfs
    for size in ["16k", "64k", "200k", "600k"]:
        mount = os.path.join(work, f"disk-{size}")
        os.makedirs(mount)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mount]).returncode != 0:
            break
        try:
            directory = os.path.join(mount, "run")
            status, out, err = run(tool("train", *TINY, "--output", directory), timeout=120)
            record("full disk", f"train into a {size} disk", status, out, err, "refuse" if size in ("16k", "64k") else "any")
            # After freeing space (the run moved to a large disk), the same directory takes a run.
            retry = os.path.join(work, f"retry-{size}")
            if os.path.isdir(directory):
                shutil.copytree(directory, retry)
                has_checkpoint = os.path.exists(os.path.join(retry, "checkpoint.safetensors"))
                argv = tool("train", "--resume", retry) if has_checkpoint else tool("train", *TINY, "--output", retry)
                status, out, err = run(argv, timeout=120)
                record("full disk", f"retried after the {size} disk filled", status, out, err, "ok")
        finally:
            subprocess.run(["umount", mount])

# --- Report --------------------------------------------------------------------------------
bad = [r for r in results if r[2] in ("crash", "hang", "wrong", "lost")]
with open(os.path.join(work, "cases.tsv"), "w") as f:
    for r in results:
        f.write("\t".join(r) + "\n")
for category, case, kind, detail in bad:
    print(f"{kind:7} {category}: {case}\n        {detail}")
table = defaultdict(Counter)
for category, _, kind, _ in results:
    table[category][kind] += 1
kinds = ["ok", "refused", "crash", "hang", "wrong", "lost"]
print(f"\n{'category':22}" + "".join(f"{k:>9}" for k in kinds) + f"{'total':>9}")
for category, counts in table.items():
    print(f"{category:22}" + "".join(f"{counts[k]:9}" for k in kinds) + f"{sum(counts.values()):9}")
totals = Counter(kind for _, _, kind, _ in results)
print(f"{'all':22}" + "".join(f"{totals[k]:9}" for k in kinds) + f"{len(results):9}")
if "--keep" in sys.argv:
    print("cases kept in", work)
else:
    shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if bad else 0)

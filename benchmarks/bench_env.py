#!/usr/bin/env python3
"""What every benchmark summary records about the run: machine, JDK, OpenBLAS libraries and the
OpenBLAS environment of the measured JVMs, git commit, settings and date; and the shared helpers
that put a rendered section between markers in docs/BENCHMARKS.md.
"""
import datetime, os, re, statistics, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def sh(cmd, cwd=None):
    try:
        r = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30, cwd=cwd)
        return (r.stdout + r.stderr).strip()
    except Exception:
        return ""


def add_env_arguments(ap):
    """--openblas-env and --jvm-vars, as passed by bench_env.sh's env_args."""
    ap.add_argument("--openblas-env", choices=["unset", "kept"], default=None,
                    help="whether the JVMs ran with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset or kept")
    ap.add_argument("--jvm-vars", default=None, help="the OPENBLAS_* variables the JVMs saw, space-separated")


def provenance(settings, openblas_env=None, jvm_vars=None):
    """A dict describing the run; openblas_env/jvm_vars as given by bench_env.sh (None: unknown)."""
    lscpu = sh("lscpu")
    model = re.search(r"Model name:\s*(.*)", lscpu)
    cores = re.search(r"^CPU\(s\):\s*(\d+)", lscpu, re.M)
    mem = re.search(r"MemTotal:\s*(\d+) kB", open("/proc/meminfo").read()) if os.path.exists("/proc/meminfo") else None
    jvm = sh("java -version 2>&1").splitlines()
    system_blas = sh("readlink -f $(ldconfig -p 2>/dev/null | awk '/libopenblas\\.so\\.0/{print $NF; exit}') 2>/dev/null")
    pom = os.path.join(ROOT, "pom.xml")
    bundled = re.search(r"<openblas\.javacpp\.version>([^<]+)<", open(pom).read()) if os.path.exists(pom) else None
    commit = sh("git rev-parse HEAD", cwd=ROOT)
    dirty = bool(sh("git status --porcelain --untracked-files=no", cwd=ROOT))
    return dict(
        date=str(datetime.date.today()),
        time_utc=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        machine=dict(cpu=model.group(1).strip() if model else "unknown CPU",
                     cores=int(cores.group(1)) if cores else None,
                     memory_gib=round(int(mem.group(1)) / 2**20, 1) if mem else None,
                     kernel=os.uname().release,
                     load_average_at_report=round(os.getloadavg()[0], 2)),
        jdk=jvm[-1] if jvm else "unknown JVM",
        openblas=dict(system_library=system_blas or None,
                      bundled=f"org.bytedeco:openblas:{bundled.group(1)}" if bundled else None,
                      jvm_env=openblas_env or "unknown",
                      jvm_vars=(jvm_vars.split() if jvm_vars is not None else None),
                      num_threads=os.environ.get("OPENBLAS_NUM_THREADS", "unset (each library's default)"),
                      note="jvm_env 'unset': the JVMs ran with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset "
                           "(OpenBLAS picks its kernels for the CPU, as the numpy/DJL peers do); 'kept': as set "
                           "in the environment (KEEP_OPENBLAS_ENV=1)"),
        git=dict(commit=commit or None, dirty=dirty),
        settings=settings)


def describe(p):
    """One Markdown line about the run, from provenance()."""
    m, o = p["machine"], p["openblas"]
    env = {"unset": "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for the JVMs",
           "kept": "OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE kept as set"}.get(o["jvm_env"], "OpenBLAS environment not recorded")
    if o["jvm_vars"] is None:
        seen = ""
    else:
        seen = f" (JVMs saw: {', '.join(o['jvm_vars']) if o['jvm_vars'] else 'no OPENBLAS_* set'})"
    commit = (p["git"]["commit"] or "?")[:10] + (" (with uncommitted changes)" if p["git"]["dirty"] else "")
    return (f"Measured {p['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {p['jdk']}; "
            f"system OpenBLAS `{o['system_library']}`, bundled `{o['bundled']}`; {env}{seen}; "
            f"OPENBLAS_NUM_THREADS {o['num_threads']}; "
            f"commit {commit}; load average at report time {m['load_average_at_report']}.")


def median_min_max(values):
    return statistics.median(values), min(values), max(values)


def replace_section(doc_path, begin, end, block, heading):
    """Puts block between the begin/end markers of doc_path (or appends a new section under heading)."""
    doc = open(doc_path).read()
    text = f"{begin}\n{block}{end}"
    if begin in doc and end in doc:
        doc = doc[:doc.index(begin)] + text + doc[doc.index(end) + len(end):]
    else:
        doc = doc.rstrip("\n") + f"\n\n## {heading}\n\n" + text + "\n"
    open(doc_path, "w").write(doc)


def raw_results_line(summary_path, doc_path, what="summarised JMH output of this run"):
    """The "Raw results: …" line: the summary's path from the repository root, linked relative to the document."""
    rel = os.path.relpath(os.path.abspath(summary_path), os.path.dirname(os.path.abspath(doc_path)))
    shown = os.path.relpath(os.path.abspath(summary_path), ROOT)
    if shown.startswith(".."):
        shown = os.path.abspath(summary_path)
    return f"Raw results: [`{shown}`]({rel}) ({what}).\n\n"


def write_summary(path, value):
    """Writes a summary JSON (creating its folder), as committed beside a table in docs/benchmarks/."""
    import json
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(value, f, indent=1, ensure_ascii=False)
        f.write("\n")


def publish(render, out, doc, summary_path, begin, end, heading):
    """Writes render("") to out and prints it; with doc, puts render(raw results line) between its markers."""
    md = render("")
    open(out, "w").write(md)
    print(md)
    if doc:
        raw = raw_results_line(summary_path, doc) if summary_path else ""
        replace_section(doc, begin, end, render(raw), heading)

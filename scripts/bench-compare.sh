#!/usr/bin/env bash
# Measures sitrep against the performance issue's targets in one go and prints
# a Markdown table (target, measured median, ratio, met). See BENCHMARKS.md.
#
#   scripts/bench-compare.sh                      # the full run (about 40 minutes)
#   DIR=/tmp/c10k FILES=10000 RUNS=2 scripts/bench-compare.sh   # a short one
#
# Settings (environment):
#   DIR=/tmp/corpus   the corpus; generated with gen_corpus when missing or empty
#   MAIL_FILES=20000  messages in the Maildir (and pages in the folder of saved
#                     pages) generated beside DIR as DIR-maildir and DIR-html
#   FILES=100000      files to generate (only used when generating)
#   RUNS=5 WARMUP=1   hyperfine runs / warm-up runs per command
#   FZF_RUNS=$RUNS    hyperfine runs for the fzf pipeline (about a minute each
#                     on 100k files)
#   RSS_RUNS=3        `sitrep check` runs under /usr/bin/time -v (median peak RSS)
#   TYPING_REPEAT=3   times examples/typing types each query
#   STARTS=5 MOVES=20 reader starts / `j` presses for examples/term_bytes
#   BENCH_TIME=5      criterion measurement time (s) for the render benchmarks
#   RENDER_CORPUS=    a folder to load for the big render library (default: the
#                     bench's generated 2,000 files, stories repeated to 1M)
#   OUT=target/bench-compare   JSON exports, logs, results.md
#
# Nothing needs root except installing missing tools. The page cache is not
# dropped: every command reads the corpus once before timing, and hyperfine
# warms up each command, so all of them run with a warm cache alike.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DIR=${DIR:-/tmp/corpus}
FILES=${FILES:-100000}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
FZF_RUNS=${FZF_RUNS:-$RUNS}
RSS_RUNS=${RSS_RUNS:-3}
TYPING_REPEAT=${TYPING_REPEAT:-3}
STARTS=${STARTS:-5}
MOVES=${MOVES:-20}
BENCH_TIME=${BENCH_TIME:-5}
RENDER_CORPUS=${RENDER_CORPUS:-}
OUT=${OUT:-target/bench-compare}
QUERIES=("nhs flu" "bma pay" "resident doctors strike" "xyzzy")

say() { printf '\n== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------
install_pkg() { # package: what is missing
  local pkg=$1 what=$2
  echo "bench-compare: $what not found; installing the Debian package '$pkg' (apt-get)..." >&2
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then sudo=sudo; else
      echo "bench-compare: not root and no sudo: please install '$pkg' and re-run" >&2
      exit 1
    fi
  fi
  $sudo apt-get install -y "$pkg" >&2 || { $sudo apt-get update >&2 && $sudo apt-get install -y "$pkg" >&2; } || {
    echo "bench-compare: could not install '$pkg'; please install it and re-run" >&2
    exit 1
  }
}
command -v hyperfine >/dev/null || install_pkg hyperfine hyperfine
command -v fzf >/dev/null || install_pkg fzf fzf
[ -x /usr/bin/time ] || install_pkg time /usr/bin/time
command -v python3 >/dev/null || install_pkg python3 python3

# --- build -------------------------------------------------------------------
say "building (release)"
cargo build --release --bin sitrep --example gen_corpus --example typing --example term_bytes >&2
SITREP=$ROOT/target/release/sitrep
EX=$ROOT/target/release/examples
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
VALUES=$OUT/values.env
: >"$VALUES"
val() { printf '%s=%s\n' "$1" "$2" >>"$VALUES"; }

# --- corpus ------------------------------------------------------------------
if [ ! -d "$DIR" ] || [ -z "$(ls -A "$DIR" 2>/dev/null)" ]; then
  say "generating $FILES files in $DIR"
  "$EX/gen_corpus" --files "$FILES" --out "$DIR" >&2
fi
DIR=$(cd "$DIR" && pwd)
NFILES=$(find "$DIR" -type f -name '*.txt' | wc -l)
[ "$NFILES" = "$FILES" ] || echo "bench-compare: note: $DIR holds $NFILES files (FILES=$FILES); using it as it is" >&2
BYTES=$(du -sb "$DIR" | cut -f1)
val files "$NFILES"
val bytes "$BYTES"
val dir "$DIR"

say "warming the page cache (reading every file once)"
find "$DIR" -type f -print0 | xargs -0 cat >/dev/null

q() { printf '%q' "$1"; }
D=$(q "$DIR")
S=$(q "$SITREP")
HF=(hyperfine --style basic --warmup "$WARMUP")

# --- load --------------------------------------------------------------------
say "load: sitrep check vs find | xargs grep -c"
"$SITREP" check "$DIR" >/dev/null
"${HF[@]}" --runs "$RUNS" --export-json "$OUT/load.json" \
  -n "sitrep check" "$S check $D" \
  -n "find | xargs grep -c" "find $D -type f -print0 | xargs -0 grep -c '' >/dev/null" >&2

# --- mail and saved pages ---------------------------------------------------------
MAIL_FILES=${MAIL_FILES:-20000}
for form in maildir html; do
  FDIR="$DIR-$form"
  if [ ! -d "$FDIR" ] || [ -z "$(ls -A "$FDIR" 2>/dev/null)" ]; then
    say "generating $MAIL_FILES $form documents in $FDIR"
    "$EX/gen_corpus" --files "$MAIL_FILES" --out "$FDIR" --form "$form" >&2
  fi
  find "$FDIR" -type f -print0 | xargs -0 cat >/dev/null
  say "load ($form): sitrep check vs find | xargs grep -c"
  "$SITREP" check "$FDIR" >/dev/null
  "${HF[@]}" --runs "$RUNS" --export-json "$OUT/load-$form.json" \
    -n "sitrep check" "$S check $(q "$FDIR")" \
    -n "find | xargs grep -c" "find $(q "$FDIR") -type f -print0 | xargs -0 grep -c '' >/dev/null" >&2
done
val mail_files "$MAIL_FILES"

say "peak RSS: /usr/bin/time -v sitrep check ($RSS_RUNS runs)"
for i in $(seq "$RSS_RUNS"); do
  /usr/bin/time -v "$SITREP" check "$DIR" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'
done >"$OUT/rss.txt"
val rss_kb "$(sort -n "$OUT/rss.txt" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"

# --- batch filter ------------------------------------------------------------
i=0
for query in "${QUERIES[@]}"; do
  i=$((i + 1))
  say "filter $query: rarest word"
  rare="" rare_n=""
  for w in $query; do
    n=$(grep -rli -- "$w" "$DIR" | wc -l || true)
    echo "  $w: $n files" >&2
    if [ -z "$rare_n" ] || [ "$n" -lt "$rare_n" ]; then rare=$w rare_n=$n; fi
  done
  val "q${i}_query" "$query"
  val "q${i}_word" "$rare"
  # Like grep and fzf, `sitrep filter` exits 1 when nothing matches.
  "$SITREP" filter "$query" "$DIR" >/dev/null || [ $? -eq 1 ]
  say "filter $query: sitrep filter vs grep -rli $rare"
  "${HF[@]}" --runs "$RUNS" --export-json "$OUT/filter-$i.json" \
    -n "sitrep filter" "$S filter $(q "$query") $D || [ \$? -eq 1 ]" \
    -n "grep -rli" "grep -rli -- $(q "$rare") $D || true" >&2
  say "filter $query: fzf --filter"
  "${HF[@]}" --runs "$FZF_RUNS" --export-json "$OUT/fzf-$i.json" \
    -n "fzf --filter" "find $D -type f -print0 | xargs -0 cat | fzf --filter $(q "$query") || true" >&2
done

# --- typing ------------------------------------------------------------------
say "typing (examples/typing, $TYPING_REPEAT repeats)"
"$EX/typing" "$DIR" --repeat "$TYPING_REPEAT" | tee "$OUT/typing.log" >&2
sed -n '/^# summary/,$p' "$OUT/typing.log" | grep '=' | sed 's/^/typing_/' >>"$VALUES"

# --- first frame and bytes per move (pseudo-terminal) ------------------------
say "reader in a pty, bundled samples (examples/term_bytes)"
"$EX/term_bytes" --starts "$STARTS" --moves "$MOVES" | tee "$OUT/term-bundled.log" >&2
sed -n '/^# summary/,$p' "$OUT/term-bundled.log" | grep '=' | sed 's/^/tb_bundled_/' >>"$VALUES"
say "reader in a pty, $DIR (examples/term_bytes)"
"$EX/term_bytes" "$DIR" --starts "$STARTS" --moves "$MOVES" | tee "$OUT/term-corpus.log" >&2
sed -n '/^# summary/,$p' "$OUT/term-corpus.log" | grep '=' | sed 's/^/tb_corpus_/' >>"$VALUES"

# --- render (criterion) ------------------------------------------------------
say "render benchmarks (cargo bench --bench core -- render)"
if [ -n "$RENDER_CORPUS" ]; then export SITREP_BENCH_CORPUS=$RENDER_CORPUS; fi
cargo bench --bench core -- --warm-up-time 1 --measurement-time "$BENCH_TIME" render 2>&1 | tee "$OUT/render.log" >&2
val render_small_stories "$(sed -n 's/^fixture: small library, \([0-9]*\) stories/\1/p' "$OUT/render.log")"
val render_big_stories "$(sed -n 's/^fixture: big library, \([0-9]*\) stories/\1/p' "$OUT/render.log")"
CRIT=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/criterion

# --- table -------------------------------------------------------------------
say "results"
python3 - "$OUT" "$VALUES" "$CRIT" <<'PY' | tee "$OUT/results.md"
import json, os, sys

out, values_path, crit = sys.argv[1:4]
v = {}
for line in open(values_path):
    k, _, val = line.rstrip("\n").partition("=")
    v[k] = val

def hf(name):
    """Medians (s) by command name in a hyperfine JSON export."""
    with open(os.path.join(out, name)) as f:
        return {r["command"]: r["median"] for r in json.load(f)["results"]}

def crit_median_ms(bench):
    with open(os.path.join(crit, "render", bench, "new", "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"] / 1e6

rows = []
def row(target, limit, measured, baseline, ratio, met):
    mark = "—" if met is None else ("yes" if met else "**no**")
    rows.append((target, limit, measured, baseline, ratio, mark))

def secs(s):
    return f"{s:.2f} s" if s >= 1 else f"{s * 1000:.0f} ms"

load = hf("load.json")
s, b = load["sitrep check"], load["find | xargs grep -c"]
row("Load: `sitrep check DIR`", "≤ 2× find|xargs grep -c", secs(s), secs(b), f"{s / b:.2f}×", s / b <= 2)

for form, label, limit in (("maildir", "newsletter emails in a Maildir (text + HTML parts)", 3),
                           ("html", "saved pages", None)):
    load = hf(f"load-{form}.json")
    s, b = load["sitrep check"], load["find | xargs grep -c"]
    row(f"Load: `sitrep check` on {int(v['mail_files']):,} {label}",
        f"≤ {limit}× find|xargs grep -c" if limit else "(informative)",
        secs(s), secs(b), f"{s / b:.2f}×", s / b <= limit if limit else None)

rss = int(v["rss_kb"]) * 1024
size = int(v["bytes"])
row("Load: peak RSS of `sitrep check`", "≤ 1.5× corpus bytes", f"{rss / 1e6:.0f} MB",
    f"{size / 1e6:.0f} MB (du -sb)", f"{rss / size:.2f}×", rss / size <= 1.5)

for name, label in (("bundled", "bundled samples"), ("corpus", "corpus")):
    ff = float(v[f"tb_{name}_first_frame_median_ms"])
    fb = float(v[f"tb_{name}_first_bytes_median_ms"])
    row(f"First frame, {label} (full frame; first bytes {fb:.1f} ms)", "≤ 100 ms",
        f"{ff:.1f} ms", "100 ms", f"{ff / 100:.2f}×", ff <= 100)

for key, chars, limit in (("first2", "1–2", 150), ("rest", "3+", 50)):
    p95 = float(v[f"typing_{key}_p95_ms"])
    p50 = float(v[f"typing_{key}_p50_ms"])
    mx = float(v[f"typing_{key}_max_ms"])
    row(f"Typing, chars {chars}: p95 (p50 {p50:.1f}, max {mx:.1f} ms)", f"≤ {limit} ms",
        f"{p95:.1f} ms", f"{limit} ms", f"{p95 / limit:.2f}×", p95 <= limit)

# Not targets, but what the top rows leave for later: all matches ranked (on the
# worker, superseded by the next key) and the index that makes typing fast.
for key, chars in (("first2", "1–2"), ("rest", "3+")):
    c = float(v[f"typing_{key}_complete_p95_ms"])
    row(f"Typing, chars {chars}: every match ranked, in the background (p95)", "(informative)",
        f"{c:.1f} ms", "—", "—", None)
ix, ib = float(v["typing_index_ms"]), int(v["typing_index_bytes"])
row("Word index of story text, built once after loading", "(informative)",
    f"{ix / 1000:.1f} s, {ib / 1e6:.0f} MB", "—", "—", None)

i = 1
while f"q{i}_query" in v:
    query, word = v[f"q{i}_query"], v[f"q{i}_word"]
    f = hf(f"filter-{i}.json")
    z = hf(f"fzf-{i}.json")["fzf --filter"]
    s, g = f["sitrep filter"], f["grep -rli"]
    row(f"Filter `{query}` vs fzf --filter", "≤ 1.0×", secs(s), secs(z), f"{s / z:.2f}×", s / z <= 1.0)
    row(f"Filter `{query}` vs grep -rli {word}", "≤ 2×", secs(s), secs(g), f"{s / g:.2f}×", s / g <= 2)
    i += 1

small, big = v.get("render_small_stories", "?"), v.get("render_big_stories", "?")
for bench, label in (("draw", "build + draw"), ("move_draw", "one row down + build + draw")):
    a, b = crit_median_ms(f"{bench}/small"), crit_median_ms(f"{bench}/big")
    # "Costs the same": within 1.5× of the small library (room for cache effects).
    row(f"Render 120x40, {label}: {big} stories (vs {small})", "< 2 ms; ≤ 1.5× the small one",
        f"{b:.3f} ms", f"{a:.3f} ms", f"{b / a:.2f}×", a < 2 and b < 2 and b / a <= 1.5)

for name, label in (("bundled", "bundled samples"), ("corpus", "corpus")):
    mx = int(v[f"tb_{name}_move_bytes_max"])
    med = float(v[f"tb_{name}_move_bytes_median"])
    idle = v.get(f"tb_{name}_idle_bytes_per_s", "?")
    row(f"SSH: bytes per one-row move, {label} (median {med:.0f} B; idle {idle} B/s)",
        "≤ 1 KB (max)", f"{mx} B", "1024 B", f"{mx / 1024:.2f}×", mx <= 1024)

print(f"Corpus: {v['dir']}: {v['files']} files, {size} bytes, {v.get('typing_stories', '?')} stories.\n")
print("| Target | Limit | Measured (median) | Baseline (median) | Ratio | Met |")
print("|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
PY
echo >&2
echo "bench-compare: JSON exports, logs and results.md are in $OUT" >&2

#!/usr/bin/env python3
"""factbot side by side with the Python retrieval a user would otherwise pick.

usage: python3 bench/peers.py --factbot target/release/factbot --corpus corpus.jsonl \
           --queries queries.txt [--runs 3] [--rank-bm25-docs 20000] [--skip bm25s,rank_bm25,tantivy]

Runs, one after the other in one run on the same machine and the same corpus and queries:
  - `factbot bench --json` (index build with extraction, full `ask`, bare tantivy search);
  - bm25s with its numba backend (English stop words and stemming), top 10;
  - rank_bm25 (BM25Okapi) on the first --rank-bm25-docs passages (it scores every passage
    per query, so the full corpus is impractically slow), top 10;
  - tantivy-py (en_stem tokenizer), top 10.
Each peer runs in its own process so its peak memory is its own. Prints one table with the
ratios. Needs: pip install bm25s numba PyStemmer rank_bm25 tantivy. Not run in CI.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time


def peak_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def load(corpus, queries, limit=None):
    texts = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                texts.append(json.loads(line)["text"])
                if limit and len(texts) >= limit:
                    break
    qs = [l.strip() for l in open(queries, encoding="utf-8") if l.strip()]
    return texts, qs


def run_bm25s(corpus, queries):
    import bm25s, Stemmer
    texts, qs = load(corpus, queries)
    stemmer = Stemmer.Stemmer("english")
    t = time.perf_counter()
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)
    model = bm25s.BM25(backend="numba")
    model.index(tokens, show_progress=False)
    index_s = time.perf_counter() - t
    qtok = [bm25s.tokenize([q], stopwords="en", stemmer=stemmer, show_progress=False) for q in qs]
    model.retrieve(qtok[0], k=10, show_progress=False, n_threads=1)  # JIT warm-up
    lat = []
    t = time.perf_counter()
    for q in qs:
        s = time.perf_counter()
        toks = bm25s.tokenize([q], stopwords="en", stemmer=stemmer, show_progress=False)
        model.retrieve(toks, k=10, show_progress=False, n_threads=1)
        lat.append((time.perf_counter() - s) * 1000)
    total = time.perf_counter() - t
    return {"docs": len(texts), "index_seconds": index_s, "qps": len(qs) / total, "lat": lat, "rss": peak_rss()}


def run_rank_bm25(corpus, queries, limit):
    from rank_bm25 import BM25Okapi
    texts, qs = load(corpus, queries, limit)
    qs = qs[:100]
    t = time.perf_counter()
    model = BM25Okapi([x.lower().split() for x in texts])
    index_s = time.perf_counter() - t
    lat = []
    t = time.perf_counter()
    for q in qs:
        s = time.perf_counter()
        model.get_top_n(q.lower().split(), texts, n=10)
        lat.append((time.perf_counter() - s) * 1000)
    total = time.perf_counter() - t
    return {"docs": len(texts), "index_seconds": index_s, "qps": len(qs) / total, "lat": lat, "rss": peak_rss()}


def run_tantivy(corpus, queries):
    import tantivy
    texts, qs = load(corpus, queries)
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("text", stored=True, tokenizer_name="en_stem")
    schema = sb.build()
    d = tempfile.mkdtemp()
    t = time.perf_counter()
    index = tantivy.Index(schema, path=d)
    w = index.writer(heap_size=64_000_000)
    for x in texts:
        w.add_document(tantivy.Document(text=x))
    w.commit()
    w.wait_merging_threads()
    index_s = time.perf_counter() - t
    index.reload()
    searcher = index.searcher()
    lat = []
    t = time.perf_counter()
    for q in qs:
        s = time.perf_counter()
        query = index.parse_query_lenient(q, ["text"])[0] if hasattr(index, "parse_query_lenient") else index.parse_query(q, ["text"])
        searcher.search(query, 10)
        lat.append((time.perf_counter() - s) * 1000)
    total = time.perf_counter() - t
    return {"docs": len(texts), "index_seconds": index_s, "qps": len(qs) / total, "lat": lat, "rss": peak_rss()}


def pct(lat, q):
    s = sorted(lat)
    return s[min(len(s) - 1, int(round((len(s) - 1) * q)))] if s else 0.0


def child(args):
    fn = {"bm25s": lambda: run_bm25s(args.corpus, args.queries),
          "rank_bm25": lambda: run_rank_bm25(args.corpus, args.queries, args.rank_bm25_docs),
          "tantivy": lambda: run_tantivy(args.corpus, args.queries)}[args.child]
    r = fn()
    r["p50"], r["p99"] = pct(r["lat"], 0.5), pct(r["lat"], 0.99)
    del r["lat"]
    print(json.dumps(r))


def median_of(runs):
    """Per-key median over several runs of the same engine."""
    out = dict(runs[0])
    for k, v in runs[0].items():
        if isinstance(v, (int, float)):
            vals = sorted(r[k] for r in runs)
            out[k] = vals[len(vals) // 2]
    return out


def run_factbot(args):
    fb = json.loads(subprocess.run([args.factbot, "bench", "--json", "--corpus", args.corpus, "--queries", args.queries],
                                   capture_output=True, text=True, check=True).stdout)
    return {"docs": fb["passages"], "index_seconds": fb["index_seconds"], "bare_index_seconds": fb["bare_index_seconds"],
            "qps": fb["answers_per_second"], "p50": fb["latency_ms"]["p50"], "p99": fb["latency_ms"]["p99"],
            "bare_qps": fb["bare_search_per_second"], "bare_p50": fb["bare_latency_ms"]["p50"],
            "bare_p99": fb["bare_latency_ms"]["p99"], "rss": fb["serve_peak_rss_bytes"],
            "build_rss": fb["build_peak_rss_bytes"], "open_ms": fb["open_ms"], "index_bytes": fb["index_bytes"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--factbot", default="target/release/factbot")
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--rank-bm25-docs", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=3, help="runs per engine; the table shows medians")
    ap.add_argument("--skip", default="")
    ap.add_argument("--child")
    args = ap.parse_args()
    if args.child:
        return child(args)
    skip = set(filter(None, args.skip.split(",")))
    results = {}
    # Interleaved rounds, so a slow moment of the machine hits every engine alike.
    for _ in range(args.runs):
        results.setdefault("factbot", []).append(run_factbot(args))
        for name in ["bm25s", "rank_bm25", "tantivy"]:
            if name in skip or (name == "rank_bm25" and len(results.get(name, [])) >= 1):
                continue  # rank_bm25 is minutes per run and far behind: once is enough
            p = subprocess.run([sys.executable, __file__, "--child", name, "--corpus", args.corpus, "--queries", args.queries,
                                "--rank-bm25-docs", str(args.rank_bm25_docs)], capture_output=True, text=True)
            if p.returncode != 0:
                print(f"{name} failed: {p.stderr[-400:]}", file=sys.stderr)
                continue
            results.setdefault(name, []).append(json.loads(p.stdout.strip().splitlines()[-1]))
    med = {k: median_of(v) for k, v in results.items()}
    fb = med["factbot"]
    rows = [("factbot ask (full pipeline)", fb["docs"], fb["index_seconds"], fb["qps"], fb["p50"], fb["p99"], fb["rss"]),
            ("factbot bare tantivy (ceiling)", fb["docs"], fb["bare_index_seconds"], fb["bare_qps"], fb["bare_p50"], fb["bare_p99"], None)]
    labels = {"bm25s": "bm25s (numba)", "rank_bm25": "rank_bm25 (subset)", "tantivy": "tantivy-py"}
    for name in ["bm25s", "rank_bm25", "tantivy"]:
        if name in med:
            r = med[name]
            rows.append((labels[name], r["docs"], r["index_seconds"], r["qps"], r["p50"], r["p99"], r["rss"]))
    print(f"machine: {os.cpu_count()} cores; corpus {args.corpus}; queries {args.queries}; medians of {args.runs} runs")
    print(f"{'engine':32} {'docs':>8} {'index s':>8} {'queries/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'peak MB':>8} {'factbot ask / this':>19}")
    for name, docs, idx, qps, p50, p99, rss in rows:
        idx_s = f"{idx:8.2f}" if idx is not None else f"{'':>8}"
        rss_s = f"{rss / 1048576:8.0f}" if rss else f"{'':>8}"
        print(f"{name:32} {docs:8d} {idx_s} {qps:10.0f} {p50:8.3f} {p99:8.3f} {rss_s} {fb['qps'] / qps:19.2f}")
    print(f"factbot: open {fb['open_ms']:.0f} ms, index {fb['index_bytes'] / 1048576:.0f} MiB, build peak RSS {fb['build_rss'] / 1048576:.0f} MiB (serving peak in the table)")
    checks = [("ask q/s >= bm25s q/s", "bm25s" in med and fb["qps"] >= med["bm25s"]["qps"]),
              ("ask q/s >= half of bare tantivy", fb["qps"] >= fb["bare_qps"] / 2),
              ("build <= 2x bare tantivy indexing", fb["index_seconds"] <= 2 * fb["bare_index_seconds"]),
              ("build >= 3x faster than bm25s", "bm25s" in med and 3 * fb["index_seconds"] <= med["bm25s"]["index_seconds"]),
              ("open < 200 ms", fb["open_ms"] < 200),
              ("serving RSS < 150 MB", fb["rss"] < 150 * 1048576)]
    for what, ok in checks:
        print(f"  {'met   ' if ok else 'MISSED'} {what}")


if __name__ == "__main__":
    main()

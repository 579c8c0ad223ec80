"""Which lexical terms fit Vietnamese best? Lexical-only recall on the dev set for syllable
unigrams, syllable unigrams + bigrams (what the product uses) and pyvi word segmentation.

pyvi is not a dependency of the product; install it in any Python and point PYVI_PYTHON at it:
    python3 -m venv /tmp/pyvi && /tmp/pyvi/bin/pip install pyvi
    PYVI_PYTHON=/tmp/pyvi/bin/python .venv/bin/python eval/compare_lexical_terms.py
"""
import json, os, subprocess, sys
from pathlib import Path
sys.path.insert(0, '.')
from rag.structure import load_corpus
from rag.index.passages import build_passages
from rag.index import analyzer
from rag.index.lexical import LexicalIndex, TokenizerSettings
from rag.retrieval.expansion import expand_query
from rag.retrieval.scope import PlanScoper
from rag.text import fold, normalize_quote
import numpy as np
c = load_corpus(Path('corpus')); ps = build_passages(c)
scoper = PlanScoper([p.info for p in c.plans])
qs = [json.loads(l) for l in open('eval/questions/dev.jsonl') if json.loads(l)['gold']]
plan_of = np.array([p.plan_id for p in ps])
seg_cache = {}
def segmented(texts):
    out = subprocess.run([os.environ.get('PYVI_PYTHON', 'python3'), '-c', 'import sys,json; from pyvi import ViTokenizer; print(json.dumps([ViTokenizer.tokenize(t) for t in json.load(sys.stdin)]))'], input=json.dumps(texts), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)
def words_analyzer(text, **kw):
    return [fold(w.replace('_', ' ')).replace(' ', '_') for w in seg_cache[text].split()]
def run(name, fit_kw, texts_fn=None, analyze_fn=None):
    orig = analyzer.analyze
    if analyze_fn:
        import rag.index.lexical as lx; lx.analyze = analyze_fn
    idx = LexicalIndex.fit([p.embed_text for p in ps], tokenizer=TokenizerSettings(**fit_kw))
    r5 = []; rr = []
    for q in qs:
        sc = scoper.scope(q['question'])
        query = f"{q['question']} {expand_query(q['question'])}"
        s = idx.score(query)
        if sc.plan_ids: s = np.where(np.isin(plan_of, sc.plan_ids), s, 0)
        top = list(np.argsort(-s)[:10])
        ranks = [next((i+1 for i, pid in enumerate(top) if ps[pid].plan_id.startswith(g['plan']) and normalize_quote(g['quote']) in normalize_quote(ps[pid].text)), None) for g in q['gold']]
        r5.append(sum(1 for r in ranks if r and r <= 5)/len(ranks)); rr.append(max([1/r for r in ranks if r] or [0]))
    if analyze_fn:
        import rag.index.lexical as lx; lx.analyze = orig
    print(f"| {name} | {np.mean(r5):.3f} | {np.mean(rr):.3f} |")
print("| lexical terms | recall@5 | MRR@10 |\n|---|---|---|")
run("syllable unigrams (folded + accented)", {"bigrams": False})
run("syllable unigrams + bigrams (product)", {})
texts = [p.embed_text for p in ps] + [f"{q['question']} {expand_query(q['question'])}" for q in qs]
for t, s in zip(texts, segmented(texts)): seg_cache[t] = s
run("pyvi word segmentation (folded words)", {}, analyze_fn=words_analyzer)

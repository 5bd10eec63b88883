#!/usr/bin/env python3
"""Deterministic generator of synthetic Strata schema projects for benchmarks.

    gen_schema.py OUTDIR --decls N [--seed S] [--files F] [--rules-per-derived R]

writes OUTDIR/schema/part_NNN.strata (F files) and OUTDIR/strata.toml. About
half of the declarations are base relations (2 to 7 columns of every column
type, vector(N) included, block and short form), 45% derived relations with
R rules each on average, 5% HNSW indexes. Rules use joins, named-argument
atoms, negation of lower strata, comparisons, arithmetic, built-in calls,
positive recursion and aggregates. The result is meant to be semantically
valid: every atom names a declared relation with the right arity, variables
are bound positively (safe), negation only reaches strictly lower derived
relations (stratified) and joins only equate `int` columns.
The same arguments always give byte-identical output.
"""
import argparse
import os
import random

EXTRA_TYPES = ["string", "float", "bool", "int", "list[string]", "vector({dim})",
               "{{street: string, zip: int}}"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--decls", type=int, required=True, help="declarations in total")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--files", type=int, default=0, help="files (default: one per 2000 declarations)")
    ap.add_argument("--rules-per-derived", type=float, default=2.0)
    ap.add_argument("--relation-share", type=float, default=0.5)
    a = ap.parse_args()
    rng = random.Random(a.seed)

    n_rel = max(2, int(a.decls * a.relation_share))
    n_idx = max(0, int(a.decls * 0.05))
    n_der = max(1, a.decls - n_rel - n_idx)

    items = []          # (text, rule count)
    rels = []           # (name, columns[(name, type)])
    with_vector = []    # (relation, column)
    for i in range(n_rel):
        name = f"rel_{i}"
        cols = [("id", "int"), ("ref", "int")]
        for k in range(rng.randint(0, 5)):
            t = rng.choice(EXTRA_TYPES).format(dim=rng.choice([3, 8, 128, 384]))
            cols.append((f"c{k}", t))
        if t_vec := [c for c, t in cols if t.startswith("vector")]:
            with_vector.append((name, t_vec[0]))
        fill = rng.random() < 0.2
        if rng.random() < 0.5:
            body = "\n".join(
                f"  {c}: {t}" + (" = 0" if fill and t == "int" and c != "id" else "")
                for c, t in cols)
            items.append((f"relation {name} {{\n{body}\n}}\n", 0))
        else:
            items.append((f"relation {name}(" + ", ".join(f"{c}: {t}" for c, t in cols) + ")\n", 0))
        rels.append((name, cols))

    def pos_atom(rel, x, y):
        name, cols = rel
        if rng.random() < 0.3:
            return f"{name}{{id: {x}, ref: {y}}}"
        return f"{name}(" + ", ".join([x, y] + ["_"] * (len(cols) - 2)) + ")"

    derived = []        # names of non-aggregate derived relations, in order
    for j in range(n_der):
        name = f"der_{j}"
        kind = rng.random()
        rules = []
        n_rules = max(1, int(rng.gauss(a.rules_per_derived, 0.7) + 0.5))
        if kind < 0.1:  # aggregate: never referenced by other rules
            agg = rng.choice(["count", "sum", "min", "max"])
            for _ in range(n_rules):
                r = rng.choice(rels)
                rules.append(f"  {name}(A, {agg}<B>) <- {pos_atom(r, 'A', 'B')}, B >= 0")
            text = f"derived {name}(a: int, n: int) {{\n" + "\n".join(rules) + "\n}\n"
            items.append((text, n_rules))
            continue
        for k in range(n_rules):
            r1, r2 = rng.choice(rels), rng.choice(rels)
            body = [pos_atom(r1, "A", "B")]
            shape = rng.random()
            if shape < 0.35:     # join
                body.append(pos_atom(r2, "B", "C"))
                head = "A, C"
            elif shape < 0.55 and derived:   # join with a lower derived relation
                body.append(f"{rng.choice(derived)}(B, C)")
                head = "A, C"
            elif shape < 0.7 and k > 0:       # positive recursion
                body = [f"{name}(A, B)", pos_atom(r2, "B", "C")]
                head = "A, C"
            else:
                head = "A, B"
            if derived and rng.random() < 0.3:   # negation of a lower stratum
                body.append(f"!{rng.choice(derived)}(A, B)")
            c = rng.random()
            if c < 0.3:
                body.append(f"A > {rng.randint(0, 1000)}")
            elif c < 0.5:
                body.append("A != B")
            elif c < 0.6:
                body.append(f"(A + B) * 2 <= {rng.randint(0, 100000)}")
            elif c < 0.7:
                body.append(f"abs(A - B) < {rng.randint(1, 50)}")
            rules.append(f"  {name}({head}) <- " + ", ".join(body))
        text = f"derived {name}(a: int, b: int) {{\n" + "\n".join(rules) + "\n}\n"
        items.append((text, n_rules))
        derived.append(name)

    for i in range(n_idx):
        if not with_vector:
            break
        rel, col = with_vector[i % len(with_vector)]
        metric = rng.choice(["cosine", "euclidean", "dot_product"])
        items.append((f"index idx_{i} on {rel}({col}) hnsw(metric: {metric}, m: {rng.choice([8, 16, 32])}, "
                      f"ef_construction: 200)\n", 0))

    # Declaration order does not matter to Strata; shuffle so that files mix
    # kinds and uses come before definitions.
    rng.shuffle(items)
    files = a.files or max(1, (len(items) + 1999) // 2000)
    os.makedirs(os.path.join(a.outdir, "schema"), exist_ok=True)
    per = (len(items) + files - 1) // files
    total_rules = sum(r for _, r in items)
    for f in range(files):
        chunk = items[f * per:(f + 1) * per]
        with open(os.path.join(a.outdir, "schema", f"part_{f:03d}.strata"), "w") as out:
            out.write(f"// generated by bench/gen_schema.py --decls {a.decls} --seed {a.seed}\n\n")
            out.write("\n".join(t for t, _ in chunk))
    with open(os.path.join(a.outdir, "strata.toml"), "w") as out:
        out.write('schema = "schema"\nmigrations = "migrations"\n')
    print(f"{len(items)} declarations ({n_rel} relations, {n_der} derived, "
          f"{min(n_idx, len(items) - n_rel - n_der)} indexes), {total_rules} rules, {files} files")


if __name__ == "__main__":
    main()

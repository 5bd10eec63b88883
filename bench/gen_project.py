#!/usr/bin/env python3
"""Deterministic generator of whole Strata projects (schema + migration history)
for the `strata makemigrations` benchmark.

    gen_project.py OUTDIR --relations N --rules M --migrations K [--seed S]
                   [--strata PATH] [--clauses-per-rule R] [--added-columns C]
                   [--before-last P]

writes
    OUTDIR/schema/part_NNN.strata   the final schema (2000 declarations a file)
    OUTDIR/migrations/NNNN_*.mig    a linear history of K migrations
    OUTDIR/migrations/strata.sum    via `PATH hash`, when PATH has that command
    OUTDIR/strata.toml

The project has N base relations (`rel_I`: `id: int, ref: int` and 0 to 3
more columns of type int, float, string or bool) and M rule clauses in M/R
derived relations (`der_J(a: int, b: int)`, R clauses each): joins of two
base relations on `int` columns, joins with a derived relation created
earlier, comparisons; no negation, no aggregates.

History: `0001_initial` creates the first fifth of the relations and derived
relations; each later migration creates its share of the rest and adds C/(K-1)
columns (default C = K-1, so one a migration) to relations that exist by then,
each with a fill value (`= 0`, `= 0.0`, `= ""`, `= false`). Rules read the
relations that get columns added only through named atoms (`rel{id: A}`), and
the others positionally, so no added column ever breaks a rule. Replaying the
history gives exactly the state the schema files describe: `strata
makemigrations --check` on the output reports no changes.

With --before-last P, the same project as it stood before its last P
migrations (the state a clone had before a `git pull` brought them): the
first K-P migrations, and schema files declaring what those reach, each
declaration in the file and place it has in the whole project (so the pull
changes only the files that hold what the P migrations create or extend).

bench/gen_django.py imports `build_project` from here, so the Django project
it writes has the same relations, columns and history.
The same arguments always give byte-identical output.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys

TYPES = ["int", "float", "string", "bool"]
FILL = {"int": "0", "float": "0.0", "string": '""', "bool": "false"}
INITIAL_SHARE = 0.2
DECLS_PER_FILE = 2000


class Relation:
    def __init__(self, name, columns, frozen):
        self.name = name
        self.columns = columns          # [(name, type, fill or None)], final order
        self.frozen = frozen            # never gets a column: read positionally
        self.initial = len(columns)     # columns at creation


class Derived:
    def __init__(self, name, clauses):
        self.name = name
        self.clauses = clauses          # clause texts


def split_evenly(total, parts):
    """total items into parts consecutive chunks whose sizes differ by at most 1."""
    base, extra = divmod(total, parts) if parts else (0, 0)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def build_project(n_rel, n_clauses, k, seed, clauses_per_rule=2, added_columns=None):
    """The project as data: (relations, derived, migrations). Each migration is
    (name, ops) with ops a list of ("create_relation", Relation),
    ("add_column", Relation, (col, type, fill)) and ("create_rule", Derived),
    in order. Relation.columns is the final column list."""
    rng = random.Random(seed)
    k = max(1, k)
    n_der = max(0, n_clauses // clauses_per_rule) if n_clauses else 0
    if added_columns is None:
        added_columns = k - 1

    rels = []
    for i in range(n_rel):
        cols = [("id", "int", None), ("ref", "int", None)]
        for c in range(rng.randint(0, 3)):
            cols.append((f"c{c}", rng.choice(TYPES), None))
        rels.append(Relation(f"rel_{i}", cols, frozen=(i % 2 == 0)))

    first_rel = max(1, int(n_rel * INITIAL_SHARE)) if k > 1 else n_rel
    first_der = int(n_der * INITIAL_SHARE) if k > 1 else n_der
    rel_chunks = [first_rel] + split_evenly(n_rel - first_rel, k - 1)
    der_chunks = [first_der] + split_evenly(n_der - first_der, k - 1)
    add_chunks = [0] + split_evenly(added_columns, k - 1)

    def atom(rel, x, y):
        if rel.frozen:
            return f"{rel.name}(" + ", ".join([x, y] + ["_"] * (len(rel.columns) - 2)) + ")"
        return f"{rel.name}{{id: {x}, ref: {y}}}"

    existing = []        # relations created so far
    growable = []        # of those, the ones that may get columns
    derived = []         # derived relations created so far
    migrations = []
    r_next = d_next = 0
    clause_total = n_clauses
    for m in range(k):
        ops = []
        for _ in range(rel_chunks[m]):
            rel = rels[r_next]
            r_next += 1
            ops.append(("create_relation", rel))
            existing.append(rel)
            if not rel.frozen:
                growable.append(rel)
        for _ in range(add_chunks[m]):
            if not growable:
                break
            rel = rng.choice(growable)
            t = rng.choice(TYPES)
            col = (f"x{len(rel.columns) - rel.initial}", t, FILL[t])
            rel.columns.append(col)
            ops.append(("add_column", rel, col))
        for _ in range(der_chunks[m]):
            name = f"der_{d_next}"
            d_next += 1
            n = clauses_per_rule
            if d_next == n_der:     # the last one takes what is left over
                n = clause_total - clauses_per_rule * (n_der - 1)
            clauses = []
            for c in range(n):
                clauses.append(distinct_clause(rng, name, existing, derived, atom, clauses, c))
            d = Derived(name, clauses)
            derived.append(d)
            ops.append(("create_rule", d))
        if m == 0:
            mname = "0001_initial"
        else:
            first = ops[0] if ops else None
            if first is None:
                frag = "empty"
            elif first[0] == "create_relation":
                frag = f"create_{first[1].name}"
            elif first[0] == "add_column":
                frag = f"add_{first[1].name}_{first[2][0]}"
            else:
                frag = f"create_{first[1].name}"
            mname = f"{m + 1:04d}_{frag}" + ("_and_more" if len(ops) > 1 else "")
        migrations.append((mname, ops))
    return rels, derived, migrations


def random_clause(rng, name, existing, derived, atom):
    r1, r2 = rng.choice(existing), rng.choice(existing)
    shape = rng.random()
    if shape < 0.5:
        body, head = [atom(r1, "A", "B"), atom(r2, "B", "C")], "A, C"
    elif shape < 0.75 and derived:
        body, head = [atom(r1, "A", "B"), f"{rng.choice(derived).name}(B, C)"], "A, C"
    else:
        body, head = [atom(r1, "A", "B")], "A, B"
    cmp = rng.random()
    if cmp < 0.3:
        body.append(f"A > {rng.randint(0, 1000)}")
    elif cmp < 0.5:
        body.append("A != B")
    return head, body


DRAWS_PER_CLAUSE = 20


def distinct_clause(rng, name, existing, derived, atom, taken, index):
    """Clause number `index` of rule `name`, unlike every clause in `taken`:
    the server registers a clause it already has once, so a repeated one
    would be a clause of the schema that is not on the target (and `strata
    check` warns about it: DuplicateClause). A relation always has the same
    spelling (named or positional), so equal texts are the only way two
    clauses here lower alike. Draws again while the text repeats, which
    leaves the output of every seed that drew no repeat as it was; after
    DRAWS_PER_CLAUSE draws (few relations, many clauses) a comparison with a
    constant no draw uses makes it unique."""
    for _ in range(DRAWS_PER_CLAUSE):
        head, body = random_clause(rng, name, existing, derived, atom)
        text = f"{name}({head}) <- " + ", ".join(body)
        if text not in taken:
            return text
    return text + f", A > {1001 + index}"


def col_text(c, with_fill):
    name, t, fill = c
    return f"{name}: {t}" + (f" = {fill}" if with_fill and fill is not None else "")


def rule_text(keyword, d, indent):
    inner = indent + "  "
    return (f"{indent}{keyword} {d.name}(a: int, b: int) {{\n"
            + "".join(f"{inner}{c}\n" for c in d.clauses) + f"{indent}}}\n")


def before_last(rels, derived, migrations, p):
    """What the project held before its last p migrations: the migrations,
    and for each relation and derived relation of the whole project its
    declaration then (None when it did not exist yet), in the same order."""
    kept = migrations[:max(1, len(migrations) - p)]
    created, added = set(), {}
    for _, ops in kept:
        for op in ops:
            if op[0] == "add_column":
                added[op[1].name] = added.get(op[1].name, 0) + 1
            else:
                created.add(op[1].name)
    old_rels = [Relation(r.name, r.columns[:r.initial + added.get(r.name, 0)], r.frozen)
                if r.name in created else None for r in rels]
    for old, r in zip(old_rels, rels):
        if old is not None:
            old.initial = r.initial
    old_derived = [d if d.name in created else None for d in derived]
    return old_rels, old_derived, kept


def write_project(outdir, rels, derived, migrations, header):
    """rels and derived may hold None for what does not exist (yet): the
    other declarations keep their files and places."""
    schema = os.path.join(outdir, "schema")
    migdir = os.path.join(outdir, "migrations")
    for d in (schema, migdir):
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    # Final schema: the relations (with their added columns and fill values)
    # and the derived relations, in the order they were created.
    decls = [f"relation {r.name}(" + ", ".join(col_text(c, True) for c in r.columns) + ")\n"
             if r else None for r in rels]
    decls += [rule_text("derived", d, "") if d else None for d in derived]
    files = max(1, (len(decls) + DECLS_PER_FILE - 1) // DECLS_PER_FILE)
    for f in range(files):
        chunk = decls[f * DECLS_PER_FILE:(f + 1) * DECLS_PER_FILE]
        with open(os.path.join(schema, f"part_{f:03d}.strata"), "w") as out:
            out.write(f"// generated by bench/gen_project.py {header}\n\n")
            out.write("\n".join(d for d in chunk if d is not None))
    prev = None
    for name, ops in migrations:
        lines = [f"migration {name} {{\n"]
        if prev:
            lines.append(f"  depends {prev}\n")
        if ops and prev:
            lines.append("\n")
        for op in ops:
            if op[0] == "create_relation":
                r = op[1]
                cols = r.columns[:r.initial]
                lines.append(f"  create relation {r.name}(" + ", ".join(col_text(c, False) for c in cols) + ")\n")
            elif op[0] == "add_column":
                lines.append(f"  add column {op[1].name}.{col_text(op[2], True)}\n")
            else:
                lines.append(rule_text("create rule", op[1], "  "))
        lines.append("}\n")
        with open(os.path.join(migdir, f"{name}.mig"), "w") as out:
            out.write("".join(lines))
        prev = name
    with open(os.path.join(outdir, "strata.toml"), "w") as out:
        out.write('schema = "schema"\nmigrations = "migrations"\n')
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--relations", type=int, required=True, help="base relations (N)")
    ap.add_argument("--rules", type=int, required=True, help="rule clauses in total (M)")
    ap.add_argument("--migrations", type=int, required=True, help="migrations in the history (K)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--clauses-per-rule", type=int, default=2,
                    help="clauses per derived relation (default 2: M/2 derived relations)")
    ap.add_argument("--added-columns", type=int, default=None,
                    help="add-column operations in the history (default K-1)")
    ap.add_argument("--before-last", type=int, default=0, metavar="P",
                    help="write the project as it stood before its last P migrations")
    ap.add_argument("--strata", help="the strata binary; runs `strata hash` to write strata.sum")
    a = ap.parse_args()
    if a.relations < 1 or a.rules < 0 or a.migrations < 1 or a.clauses_per_rule < 1:
        ap.error("need --relations >= 1, --rules >= 0, --migrations >= 1")
    if not 0 <= a.before_last < a.migrations:
        ap.error("need 0 <= --before-last < --migrations")
    rels, derived, migrations = build_project(a.relations, a.rules, a.migrations, a.seed,
                                              a.clauses_per_rule, a.added_columns)
    if a.before_last:
        rels, derived, migrations = before_last(rels, derived, migrations, a.before_last)
    header = (f"--relations {a.relations} --rules {a.rules} --migrations {a.migrations} "
              f"--seed {a.seed}")
    files = write_project(a.outdir, rels, derived, migrations, header)
    n_ops = sum(len(ops) for _, ops in migrations)
    rels = [r for r in rels if r]
    derived = [d for d in derived if d]
    n_add = sum(1 for _, ops in migrations for op in ops if op[0] == "add_column")
    n_clauses = sum(len(d.clauses) for d in derived)
    summary = (f"{len(rels)} relations, {len(derived)} derived relations, {n_clauses} rules, "
               f"{len(migrations)} migrations ({n_ops} operations, {n_add} add column), "
               f"{files} schema files")
    if a.strata:
        has_hash = subprocess.run([a.strata, "hash", "--help"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL).returncode == 0
        if has_hash:
            r = subprocess.run([a.strata, "hash", "--migrations", "migrations", "--schema", "schema"],
                               cwd=a.outdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
            if r.returncode != 0:
                sys.stderr.write(r.stderr[:4000])
                sys.exit(f"gen_project.py: `{a.strata} hash` failed ({r.returncode})")
            summary += ", strata.sum written"
        else:
            summary += f", no strata.sum (`{a.strata} hash` not available)"
    print(summary)


if __name__ == "__main__":
    main()

"""One random history: a project, a target, and the model they must match.

The history grows by random actions: schema changes (one or several edits,
with renamed_from or --rename answers), branches on disjoint relations and
their merge, data migrations (`run iql`), a data migration that fails,
squashes (sometimes deleting the originals), facts written and deleted on
the target, and `migrate` / `revert` to random migrations, some of them
interrupted by a fault and then recovered by running the same command
again. After every action on the target, `check` compares the target with
the model.
"""
import json
import os
import random
import re
import shutil

import generator
import model
from target import Failure, FileTarget, ServedTarget, Strata, exec_json

LEDGER_ACTIONS = ("migrate", "migrate-to", "revert-to", "revert-zero")


class Node:
    """A migration file: its depends, its deltas, what it replaces."""

    def __init__(self, name, parents, deltas, replaces=()):
        self.name, self.parents, self.deltas, self.replaces = name, list(parents), deltas, list(replaces)


class History:
    def __init__(self, seed, binary, workdir, retype=False, steps=None, sabotage=False):
        self.seed, self.rng = seed, random.Random(seed)
        self.dir = os.path.join(workdir, f"seed-{seed}")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(os.path.join(self.dir, "project", "schema"))
        os.makedirs(os.path.join(self.dir, "project", "migrations"))
        self.project = os.path.join(self.dir, "project")
        self.log = []
        self.strata = Strata(binary, self.project, self.log)
        self.names = generator.Names()
        self.gen = generator.Generator(self.rng, self.names, retype)
        self.steps = steps or self.rng.randint(8, 16)
        self.nodes = {}  # the migration files present, in creation order
        self.all = {}  # every migration ever written, deleted originals too
        self.order = []  # their names in creation order: the model's apply order
        self.leaves = {None: model.World()}  # leaf name -> schema world
        self.applied = set()  # original migrations whose effect is on the target
        self.world = model.World()  # what the target holds
        self.stats = {"actions": {}, "faults": {}}
        self.sabotage = sabotage
        self.checks = 0
        kind = self.rng.choice(["file", "ws"])
        if kind == "file":
            self.target = FileTarget(self.strata, os.path.join(self.dir, "target.kg"))
        else:
            self.target = ServedTarget(self.strata, os.path.join(self.dir, "serve.kg"))
        self.stats["target"] = kind

    # ----- running ---------------------------------------------------------

    def run(self):
        self.target.start()
        try:
            for step in range(self.steps):
                action = self._pick_action() if step else "change"
                self.log.append(f"## step {step}: {action}")
                self.stats["actions"][action] = self.stats["actions"].get(action, 0) + 1
                getattr(self, "_act_" + action.replace("-", "_"))()
        finally:
            self.target.stop()

    def _pick_action(self):
        single = len(self.leaves) == 1
        weights = {"change": 5 if single else 0, "branch": 2 if single else 0,
                   "merge": 0 if single else 4, "data": 1 if single else 0,
                   "bad-data": 0.5 if single else 0, "squash": 1 if single else 0,
                   "facts": 3, "migrate": 4 if single else 0, "migrate-to": 2,
                   "revert-to": 2, "revert-zero": 0.5,
                   "restart": 1 if self.target.kind == "ws" else 0}
        names = list(weights)
        return self.rng.choices(names, [weights[n] for n in names])[0]

    # ----- history changes -------------------------------------------------

    def _leaf(self):
        (name,) = self.leaves
        return name

    def _write_schema(self, world, annotations=None):
        path = os.path.join(self.project, "schema", "schema.strata")
        with open(path, "w") as f:
            f.write(generator.schema_text(world, annotations or {}))

    def _new_files(self, before):
        now = set(_mig_files(self.project))
        made = sorted(now - before)
        if len(made) != 1:
            raise Failure(f"expected one new migration file, found {made}")
        return made[0][:-4]

    def _makemigrations(self, world, change, tag, extra=()):
        self._write_schema(world, change.annotations if change else None)
        before = set(_mig_files(self.project))
        args = ["makemigrations", "--name", tag] + list(extra)
        if change and change.answers:
            args += ["--rename", ",".join(change.answers)]
        done = self.strata.run(args)
        if done.returncode != 0:
            raise Failure(f"makemigrations failed ({done.returncode}) for: "
                          f"{'; '.join(change.summary) if change else tag}")
        name = self._new_files(before)
        self._write_schema(world)  # the annotations have done their job
        again = self.strata.run(["makemigrations", "--check"])
        if again.returncode != 0:
            raise Failure(f"after writing {name}, makemigrations --check exits {again.returncode}")
        return name

    def _add_node(self, name, parents, deltas, replaces=()):
        self.nodes[name] = self.all[name] = Node(name, parents, deltas, replaces)
        self.order.append(name)

    def _act_change(self):
        leaf = self._leaf()
        world = self.leaves[leaf].clone()
        change = self.gen.change(world, None)
        self.log.append("# change: " + "; ".join(change.summary))
        if _same_schema(world, self.leaves[leaf]):
            return  # e.g. a relation created and dropped again: no migration
        name = self._makemigrations(world, change, self.names.fresh("m"))
        self._add_node(name, [leaf] if leaf else [], change.deltas)
        self.leaves = {name: world}

    def _act_branch(self):
        leaf = self._leaf()
        base = self.leaves[leaf]
        rels = sorted(base.relations)
        self.rng.shuffle(rels)
        cut = self.rng.randint(0, len(rels))
        groups = [set(rels[:cut]), set(rels[cut:])]
        made = []
        aside = os.path.join(self.dir, "aside")
        os.makedirs(aside, exist_ok=True)
        for group in groups:
            world = base.clone()
            change = self.gen.change(world, group, max_edits=2)
            self.log.append("# branch change: " + "; ".join(change.summary))
            while _same_schema(world, base):  # it undid itself: draw again
                world = base.clone()
                change = self.gen.change(world, group, max_edits=1)
                self.log.append("# branch change, again: " + "; ".join(change.summary))
            name = self._makemigrations(world, change, self.names.fresh("b"))
            self._add_node(name, [leaf] if leaf else [], change.deltas)
            made.append((name, world))
            # The first branch's file goes aside while the second is
            # written, as if on another checkout.
            if len(made) == 1:
                shutil.move(self._path(name), os.path.join(aside, name + ".mig"))
                self._hash()
        shutil.move(os.path.join(aside, made[0][0] + ".mig"), self._path(made[0][0]))
        self._hash()
        self.leaves = dict(made)

    def _act_merge(self):
        (a, wa), (b, wb) = sorted(self.leaves.items())
        world = wb.clone()
        model.apply_all(world, self.nodes[a].deltas)
        name = self._makemigrations(world, None, self.names.fresh("merge"), ["--merge"])
        self._add_node(name, [a, b], [])
        self.leaves = {name: world}

    def _act_data(self, failing=False):
        leaf = self._leaf()
        world = self.leaves[leaf]
        if not world.relations:
            return
        rel = world.relations[self.rng.choice(sorted(world.relations))]
        facts = {generator.random_fact(self.rng, rel) for _ in range(self.rng.randint(1, 3))}
        text = ", ".join(generator.fact_literal(rel, f) for f in sorted(facts, key=repr))
        if failing:
            # A string where the first column holds ints: the server refuses.
            forward = f'+{rel.name}[("not an int"{", 0" * (len(rel.columns) - 1)})]'
            backward = f"-{rel.name}[{text}]"
        else:
            forward, backward = f"+{rel.name}[{text}]", f"-{rel.name}[{text}]"
        name = self._makemigrations(world, None, self.names.fresh("data"), ["--empty"])
        path = self._path(name)
        body = open(path).read().rstrip()
        assert body.endswith("}")
        op = f"\n  run iql {{\n    forward  {{ {forward} }}\n    backward {{ {backward} }}\n  }}\n}}\n"
        with open(path, "w") as f:
            f.write(body[:-1].rstrip() + "\n" + op)
        self._hash()
        deltas = [] if failing else [model.InsertFacts(rel.name, facts)]
        self._add_node(name, [leaf] if leaf else [], deltas)
        self.leaves = {name: world}
        return name

    def _act_bad_data(self):
        """A data migration that fails: the run stops, rolls it back, and
        the target is as before; then the file is deleted."""
        self._ledger("migrate", fault_allowed=False)
        name = self._act_data(failing=True)
        if name is None:
            return
        done = self.strata.run(["migrate", "--target", self.target.url])
        if done.returncode != 1:
            raise Failure(f"migrate of the failing {name} exited {done.returncode}, not 1")
        self.check()
        os.remove(self._path(name))
        node = self.nodes.pop(name)
        del self.all[name]
        self.order.remove(name)
        self.leaves = {(node.parents or [None])[0]: self.leaves[name]}
        self._hash()

    def _act_squash(self):
        chain = self._squashable_chain()
        if not chain:
            return
        atoms = set(chain)
        if atoms & self.applied and not atoms <= self.applied:
            return  # the target would need the originals: not a deletable state
        before = set(_mig_files(self.project))
        done = self.strata.run(["squash", "--name", self.names.fresh("sq"), chain[0], chain[-1]])
        if done.returncode != 0:
            raise Failure(f"squash {chain[0]} {chain[-1]} exited {done.returncode}")
        name = self._new_files(before)
        deltas = [d for m in chain for d in self.nodes[m].deltas]
        self._add_node(name, self.nodes[chain[0]].parents, deltas, chain)
        if self.rng.random() < 0.5:
            for m in chain:
                os.remove(self._path(m))
                del self.nodes[m]
            self._hash()
            self.log.append(f"# deleted the originals of {name}")
        again = self.strata.run(["makemigrations", "--check"])
        if again.returncode != 0:
            raise Failure(f"after squashing into {name}, makemigrations --check exits {again.returncode}")

    def _squashable_chain(self):
        """A random linear run of at least two plain migrations."""
        children = {}
        for node in self.nodes.values():
            for p in node.parents:
                children.setdefault(p, []).append(node.name)
        plain = [n for n in self.nodes.values()
                 if not n.replaces and len(n.parents) <= 1 and not self._replaced(n.name)]
        starts = [n.name for n in plain]
        self.rng.shuffle(starts)
        for start in starts:
            chain = [start]
            while len(children.get(chain[-1], [])) == 1:
                nxt = self.nodes[children[chain[-1]][0]]
                if nxt.replaces or len(nxt.parents) != 1 or self._replaced(nxt.name):
                    break
                chain.append(nxt.name)
            if len(chain) >= 2:
                return chain[: self.rng.randint(2, len(chain))]
        return None

    def _replaced(self, name):
        return any(name in n.replaces for n in self.nodes.values())

    def _hash(self):
        done = self.strata.run(["hash"])
        if done.returncode != 0:
            raise Failure(f"strata hash exited {done.returncode}")

    def _path(self, name):
        return os.path.join(self.project, "migrations", name + ".mig")

    # ----- the target --------------------------------------------------------

    def _act_facts(self):
        rels = sorted(self.world.relations)
        if not rels:
            return
        rel = self.world.relations[self.rng.choice(rels)]
        if rel.facts and self.rng.random() < 0.3:
            fact = self.rng.choice(sorted(rel.facts, key=repr))
            program, facts = f"-{rel.name}[{generator.fact_literal(rel, fact)}]", {fact}
            rel_update = lambda: rel.facts.discard(fact)  # noqa: E731
        else:
            facts = {generator.random_fact(self.rng, rel) for _ in range(self.rng.randint(1, 4))}
            program = f"+{rel.name}[" + ", ".join(generator.fact_literal(rel, f) for f in facts) + "]"
            rel_update = lambda: rel.facts.update(facts)  # noqa: E731
        done = self.strata.run(["exec", "--target", self.target.url, "-e", program])
        if done.returncode != 0:
            raise Failure(f"exec {program!r} exited {done.returncode}")
        rel_update()
        self.check()

    def _act_restart(self):
        """The server restarts between commands (half the time kill -9):
        everything it acknowledged is still there."""
        self.target.restart(hard=self.rng.random() < 0.5)
        self.check()

    def _act_migrate(self):
        self._ledger("migrate")

    def _act_migrate_to(self):
        names = self._addressable()
        if names:
            self._ledger("migrate", self.rng.choice(names))

    def _act_revert_to(self):
        names = [n for n in self._addressable() if self._atoms(n) <= self.applied]
        if names:
            self._ledger("revert", self.rng.choice(names))

    def _act_revert_zero(self):
        self._ledger("revert", "zero")

    def _addressable(self):
        """Migrations to name in migrate/revert: not the originals inside a
        squash (which the squash stands for), squashes themselves yes."""
        return [n for n in self.nodes if not self._replaced(n)]

    def _ledger(self, command, name=None, fault_allowed=True):
        args = [command] + ([name] if name else [])
        goal = self._goal(command, name)
        fault = None
        if fault_allowed and self.rng.random() < 0.35:
            fault = self.rng.choice(self.target.faults())
            n = self.rng.randint(0, 60) if fault == "server-kill" else self.rng.randint(1, 30)
            self.stats["faults"][fault] = self.stats["faults"].get(fault, 0) + 1
            self.log.append(f"# fault: {fault} {n}")
            self.target.run_with_fault(args, fault, n)
        done = self.strata.run(args + ["--target", self.target.url])
        if done.returncode != 0:
            raise Failure(f"`strata {' '.join(args)}` exited {done.returncode}"
                          + (f" after the fault {fault}" if fault else ""))
        self._move_world(goal)
        self.check()

    def _goal(self, command, name):
        if command == "migrate":
            return self.applied | self._closure(name or self._leaf())
        if name == "zero":
            return set()
        return self.applied & self._closure(name)

    def _move_world(self, goal):
        """Reverts what leaves, newest first, then applies what arrives."""
        for atom in reversed(self.order):
            if atom in self.applied and atom not in goal:
                model.revert_all(self.world, self._deltas(atom))
        for atom in self.order:
            if atom in goal and atom not in self.applied:
                model.apply_all(self.world, self._deltas(atom))
                if self.sabotage:
                    self._sabotage()
        self.applied = set(goal)

    def _sabotage(self):
        """--sabotage: the model forgets one fact per migration applied, so
        the checks must fail: proof that they look at the facts."""
        for rel in self.world.relations.values():
            if rel.facts:
                rel.facts.discard(min(rel.facts, key=repr))
                return

    def _deltas(self, atom):
        return self.all[atom].deltas

    def _atoms(self, name):
        node = self.all[name]
        return set(node.replaces) if node.replaces else {name}

    def _closure(self, name):
        """The original migrations `name` stands for, with its ancestors
        (a depends on a deleted original means the squash: the same atoms)."""
        seen, todo, atoms = set(), [name] if name else [], set()
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            atoms |= self._atoms(n)
            todo.extend(self.all[n].parents)
        return atoms

    # ----- the check ---------------------------------------------------------

    def check(self):
        """The target against the model: status clean, ledger, catalog,
        lock, journal, every relation's facts and every rule's answers."""
        status = self.strata.run(["status", "--target", self.target.url])
        bad = [l for l in status.stdout.splitlines()
               if l.startswith("interrupted:") or (l.startswith("drift:") and l != "drift: none")]
        if status.returncode != 0 or bad:
            raise Failure(f"status exit {status.returncode}: {bad or status.stderr.strip()}")
        self._check_ledger_lines(status.stdout)
        self.checks += 1
        if self.checks % 4 == 1:  # the JSON listing too, now and then
            self._check_ledger()
        frames = self._query()
        self._check_catalog(frames)
        for goal, (types, expected) in self._expected_rows().items():
            got = frames.get(goal)
            if got is None or got.get("type") != "result":
                raise Failure(f"{goal}: no result: {got}")
            rows = sorted(json.dumps(_printed(r, types)) for r in got["rows"])
            if rows != expected:
                raise Failure(f"{goal}: target has {rows}, model expects {expected}")

    def _check_ledger_lines(self, text):
        """The ledger as `strata status` lists it: `[X] NAME  applied ...`."""
        applied = set()
        for line in text.splitlines():
            m = re.match(r"\[X\] (\S+)", line)
            if m:
                applied |= self._atoms(m.group(1))
        if applied != self.applied:
            raise Failure(f"status lists {sorted(applied)} as applied, model {sorted(self.applied)}")

    def _check_ledger(self):
        done = self.strata.run(["showmigrations", "--target", self.target.url, "--format", "json"])
        if done.returncode != 0:
            raise Failure(f"showmigrations exit {done.returncode}")
        doc = json.loads(done.stdout)
        if doc.get("unknown"):
            raise Failure(f"ledger names unknown migrations: {doc['unknown']}")
        applied = set()
        for m in doc["migrations"]:
            if m["applied"]:
                applied |= self._atoms(m["name"])
        if applied != self.applied:
            raise Failure(f"ledger says {sorted(applied)}, model {sorted(self.applied)}")

    def _goals(self):
        goals = [".rel", ".rule list", ".index list", "?strata_lock(A, B)",
                 "?strata_journal(A, B, C, D)"]
        for name in sorted(self.world.relations):
            rel = self.world.relations[name]
            goals.append(f"?{name}(" + ", ".join(f"V{i}" for i in range(len(rel.columns))) + ")")
        goals += [f"?{name}(X)" for name in sorted(self.world.rules)]
        return goals

    def _query(self):
        goals = self._goals()
        path = os.path.join(self.dir, "check.iql")
        with open(path, "w") as f:
            f.write("\n".join(goals) + "\n")
        done, frames = exec_json(self.strata, self.target, path)
        if len(frames) != len(goals):
            raise Failure(f"exec answered {len(frames)} of {len(goals)} statements: "
                          f"{done.stderr.strip()[-300:]}")
        return dict(zip(goals, frames))

    def _expected_rows(self):
        rows = {"?strata_lock(A, B)": (None, []), "?strata_journal(A, B, C, D)": (None, [])}
        for name in sorted(self.world.relations):
            rel = self.world.relations[name]
            goal = f"?{name}(" + ", ".join(f"V{i}" for i in range(len(rel.columns))) + ")"
            types = [t for _, t in rel.columns]
            rows[goal] = (types, sorted(json.dumps(_printed(f, types)) for f in rel.facts))
        for name in sorted(self.world.rules):
            rule = self.world.rules[name]
            facts = self.world.derived_facts(rule)
            rows[f"?{name}(X)"] = (["int"], sorted(json.dumps(_printed(f, ["int"])) for f in facts))
        return rows

    def _check_catalog(self, frames):
        relations = {}
        for (line,) in frames[".rel"].get("rows", []):
            m = re.match(r"\s+(\S+) \(arity: \d+, columns: \[(.*)\], tuples: \d+\)$", line)
            if m and not m.group(1).startswith("strata_"):
                relations[m.group(1)] = m.group(2)
        expected = {n: ", ".join(f"{c}: {t}" for c, t in r.columns)
                    for n, r in self.world.relations.items()}
        if relations != expected:
            raise Failure(f"relations on the target {relations}, model {expected}")
        rules = set()
        for (line,) in frames[".rule list"].get("rows", []):
            m = re.match(r"\s+(\S+) \((\d+) clause", line)
            if m:
                rules.add(m.group(1))
        if rules != set(self.world.rules):
            raise Failure(f"rules on the target {sorted(rules)}, model {sorted(self.world.rules)}")
        indexes = set()
        for (line,) in frames[".index list"].get("rows", []):
            m = re.match(r"Index '(\S+)' on (\S+)\.(\S+) \(type: hnsw, metric: (\w+)", line)
            if m:
                indexes.add(m.groups())
        expected_ix = {(i.name, i.relation, i.column, i.metric) for i in self.world.indexes.values()}
        if indexes != expected_ix:
            raise Failure(f"indexes on the target {sorted(indexes)}, model {sorted(expected_ix)}")


def _printed(row, types):
    """A row as compared: values tagged with their kind, so an int where a
    float belongs (a retype that did not convert) is a difference."""
    if types is None:
        return list(row)

    def one(v, t):
        if t == "float":
            return ["float", v] if isinstance(v, float) else ["int", v]
        if t.startswith("vector"):
            return ["vector", [one(x, "float") for x in v]]
        return [t, v]

    return [one(v, t) for v, t in zip(row, types)]


def _same_schema(a, b):
    return generator.schema_text(a, {}) == generator.schema_text(b, {})


def _mig_files(project):
    return [f for f in os.listdir(os.path.join(project, "migrations")) if f.endswith(".mig")]

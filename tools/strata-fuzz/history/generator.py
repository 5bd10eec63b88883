"""Random schema changes for the history fuzzer, and the schema text.

A *change* is what an author does between two `makemigrations` runs: edit
the schema (possibly several edits), maybe with `renamed_from` annotations
or `--rename` answers. The generator applies the change's deltas (model.py)
to the branch's schema world, so the schema text is always printed from
the model, never from Strata's own state.
"""
import model

METRICS = ("cosine", "euclidean", "dot_product", "manhattan")
STRINGS = ("", "a", "b", "xy", "q r", "x\\\"y", "\u00e9t\u00e9")


class Names:
    """Fresh names: never reused, so a drop and an add are never one name."""

    def __init__(self):
        self.count = 0

    def fresh(self, prefix):
        self.count += 1
        return f"{prefix}{self.count}"


def random_value(rng, type_):
    if type_ == "int":
        return rng.randint(-5, 40)
    if type_ == "float":
        return rng.randint(-40, 160) / 4
    if type_ == "string":
        return rng.choice(STRINGS).replace("\\\"", "\"")
    return (rng.randint(-8, 8) / 4, rng.randint(-8, 8) / 4)


def literal(value, type_):
    """The value as IQL / Strata source text."""
    if type_ == "int":
        return str(value)
    if type_ == "float":
        return repr(float(value))
    if type_ == "string":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "[" + ", ".join(repr(float(x)) for x in value) + "]"


def fact_literal(rel, fact):
    return "(" + ", ".join(literal(v, t) for v, (_, t) in zip(fact, rel.columns)) + ")"


def random_fact(rng, rel):
    return tuple(rng.randint(0, 30) if c == "id" else random_value(rng, t) for c, t in rel.columns)


class Change:
    """One migration's worth of edits: model deltas, the `renamed_from`
    annotations the schema text carries for this run, `--rename` answers,
    and a name for the migration."""

    def __init__(self):
        self.deltas = []
        self.annotations = {}  # ("rel", new) or ("col", rel, new) -> old
        self.answers = []
        self.summary = []
        # Names this change made (created, added or renamed to): renaming
        # or dropping them again in the same change would leave an answer
        # or annotation naming something the history never had.
        self.fresh_rels, self.renamed_rels, self.fresh_cols = set(), set(), set()
        self.fresh_rules = set()


class Generator:
    def __init__(self, rng, names, retype=False, reorder=True):
        self.rng, self.names, self.retype, self.reorder = rng, names, retype, reorder

    def change(self, schema, allowed, max_edits=3):
        """A change of 1..max_edits edits touching only `allowed` relations
        (None: any), applied to `schema` (a model.World without facts).
        Returns the Change."""
        ch = Change()
        for _ in range(self.rng.randint(1, max_edits)):
            self._one_edit(schema, allowed, ch)
        while not ch.deltas:  # every edit drawn had nothing to act on
            self._one_edit(schema, allowed, ch)
        return ch

    def _one_edit(self, schema, allowed, ch):
        rels = sorted(r for r in schema.relations if allowed is None or r in allowed)
        edits = [self._create_relation]
        if rels:
            edits += [self._drop_relation, self._rename_relation, self._add_column,
                      self._add_column, self._drop_column, self._rename_column,
                      self._rule_edit, self._rule_edit, self._index_edit]
            if self.retype:
                edits += [self._retype_column, self._retype_column]
            if self.reorder:
                edits.append(self._reorder_columns)
        edit = self.rng.choice(edits)
        rel = self.rng.choice(rels) if rels else None
        edit(schema, rel, ch)

    def _apply(self, schema, ch, delta, summary):
        delta.apply(schema)
        ch.deltas.append(delta)
        ch.summary.append(summary)

    def _create_relation(self, schema, _rel, ch):
        name = self.names.fresh("r")
        cols = [("id", "int")]
        defaults = {}
        for _ in range(self.rng.randint(0, 3)):
            c, t = self.names.fresh("c"), self.rng.choice(model.TYPES)
            cols.append((c, t))
            defaults[c] = random_value(self.rng, t)
        self._apply(schema, ch, model.CreateRelation(name, cols, defaults), f"create {name}")
        ch.fresh_rels.add(name)
        return name

    def _drop_relation(self, schema, rel, ch):
        if rel in ch.renamed_rels or any(a.startswith(rel + ".") for a in ch.answers):
            return None
        for rule in [r for r in schema.rules.values() if r.relation == rel]:
            self._drop_rule(schema, ch, rule)
        for index in [i for i in schema.indexes.values() if i.relation == rel]:
            self._apply(schema, ch, model.DropIndex(_copy(index)), f"drop index {index.name}")
        cols = schema.relations[rel].columns
        self._apply(schema, ch, model.DropRelation(rel, cols), f"drop {rel}")
        return rel

    def _rename_relation(self, schema, rel, ch):
        if rel in ch.fresh_rels or rel in ch.renamed_rels:
            return None
        if any(a.startswith(rel + ".") for a in ch.answers):
            return None  # that answer names the column by the old relation
        new = self.names.fresh("r")
        self._apply(schema, ch, model.RenameRelation(rel, new), f"rename {rel} -> {new}")
        if self.rng.random() < 0.5:
            ch.annotations[("rel", new)] = rel
        else:
            ch.answers.append(f"{rel}={new}")
        ch.renamed_rels.add(new)
        ch.fresh_cols = {(new if r == rel else r, c) for r, c in ch.fresh_cols}
        # A column renamed earlier in this change is annotated in the
        # relation's new declaration.
        ch.annotations = {(k[0], new, k[2]) if k[0] == "col" and k[1] == rel else k: v
                          for k, v in ch.annotations.items()}
        return new

    def _add_column(self, schema, rel, ch):
        c, t = self.names.fresh("c"), self.rng.choice(model.TYPES)
        fill = random_value(self.rng, t)
        width = len(schema.relations[rel].columns)
        pos = None if not self.reorder or self.rng.random() < 0.6 else self.rng.randint(1, width)
        self._apply(schema, ch, model.AddColumn(rel, c, t, fill, pos), f"add {rel}.{c}: {t} at {pos}")
        ch.fresh_cols.add((rel, c))
        return rel

    def _drop_rule(self, schema, ch, rule):
        # A rule renamed by an answer and then dropped is a drop of the old
        # name: the answer would name nothing.
        ch.answers = [a for a in ch.answers if a.split("=")[1] != rule.name]
        self._apply(schema, ch, model.DropRule(_copy(rule)), f"drop rule {rule.name}")

    def _droppable_columns(self, schema, rel):
        return [c for c, _ in schema.relations[rel].columns[1:]]

    def _drop_column(self, schema, rel, ch):
        cols = [c for c in self._droppable_columns(schema, rel) if (rel, c) not in ch.fresh_cols]
        if not cols:
            return None
        c = self.rng.choice(cols)
        self._drop_users(schema, rel, c, ch)
        r = schema.relations[rel]
        pos, t = r.index_of(c), r.type_of(c)
        self._apply(schema, ch, model.DropColumn(rel, c, t, pos), f"drop {rel}.{c}")
        return rel

    def _drop_users(self, schema, rel, column, ch):
        """Rules and indexes reading a column go before the column does."""
        for rule in [r for r in schema.rules.values() if (r.relation, r.column) == (rel, column)]:
            self._drop_rule(schema, ch, rule)
        for index in [i for i in schema.indexes.values() if (i.relation, i.column) == (rel, column)]:
            self._apply(schema, ch, model.DropIndex(_copy(index)), f"drop index {index.name}")

    def _rename_column(self, schema, rel, ch):
        if rel in ch.fresh_rels:
            return None
        cols = [c for c in self._droppable_columns(schema, rel) if (rel, c) not in ch.fresh_cols]
        if not cols:
            return None
        old, new = self.rng.choice(cols), self.names.fresh("c")
        r = schema.relations[rel]
        self._apply(schema, ch, model.RenameColumn(rel, old, new), f"rename {rel}.{old} -> {new}")
        ch.fresh_cols.add((rel, new))
        if rel in ch.renamed_rels or self.rng.random() < 0.5:
            ch.annotations[("col", rel, new)] = old
        else:
            ch.answers.append(f"{rel}.{old}={rel}.{new}")
        return rel

    def _reorder_columns(self, schema, rel, ch):
        cols = [c for c, _ in schema.relations[rel].columns]
        rest = cols[1:]
        if len(rest) < 2:
            return None
        while rest == cols[1:]:
            self.rng.shuffle(rest)
        self._apply(schema, ch, model.ReorderColumns(rel, cols, cols[:1] + rest),
                    f"reorder {rel} -> {rest}")
        return rel

    def _retype_column(self, schema, rel, ch):
        r = schema.relations[rel]
        cols = [c for c, t in r.columns[1:] if t == "int"]
        if not cols:
            return None
        c = self.rng.choice(cols)
        self._apply(schema, ch, model.RetypeColumn(rel, c, "int", "float"), f"retype {rel}.{c}")
        for rule in list(schema.rules.values()):
            if (rule.relation, rule.column) == (rel, c):
                self._apply(schema, ch, model.SetRuleLimit(rule.name, rule.limit, float(rule.limit)),
                            f"replace rule {rule.name}")
        return rel

    def _rule_edit(self, schema, rel, ch):
        rules = [r for r in schema.rules.values() if r.relation == rel]
        if rules and self.rng.random() < 0.6:
            rule = self.rng.choice(rules)
            draw = self.rng.random()
            if draw < 0.2 and rule.name not in ch.fresh_rules:
                old, new = rule.name, self.names.fresh("d")
                self._apply(schema, ch, model.RenameRule(old, new), f"rename rule {old} -> {new}")
                ch.answers.append(f"{old}={new}")
                ch.fresh_rules.add(new)
            elif draw < 0.6:
                self._drop_rule(schema, ch, rule)
            else:
                new = _limit(self.rng, schema.relations[rel].type_of(rule.column))
                if new != rule.limit:
                    self._apply(schema, ch, model.SetRuleLimit(rule.name, rule.limit, new),
                                f"replace rule {rule.name}")
            return rel
        r = schema.relations[rel]
        cols = [c for c, t in r.columns[1:] if t in ("int", "float")]
        if not cols:
            return None
        c = self.rng.choice(cols)
        rule = model.Rule(self.names.fresh("d"), rel, c, _limit(self.rng, r.type_of(c)))
        self._apply(schema, ch, model.CreateRule(rule), f"create rule {rule.name}")
        ch.fresh_rules.add(rule.name)
        return rel

    def _index_edit(self, schema, rel, ch):
        indexes = [i for i in schema.indexes.values() if i.relation == rel]
        if indexes and self.rng.random() < 0.6:
            index = self.rng.choice(indexes)
            if self.rng.random() < 0.5:
                self._apply(schema, ch, model.DropIndex(_copy(index)), f"drop index {index.name}")
            else:
                new = self.rng.choice([m for m in METRICS if m != index.metric])
                self._apply(schema, ch, model.SetIndexMetric(index.name, index.metric, new),
                            f"alter index {index.name}")
            return rel
        r = schema.relations[rel]
        cols = [c for c, t in r.columns if t == "vector(2)"]
        if not cols:
            return None
        index = model.Index(self.names.fresh("x"), rel, self.rng.choice(cols), self.rng.choice(METRICS))
        self._apply(schema, ch, model.CreateIndex(index), f"create index {index.name}")
        return rel


def _limit(rng, type_):
    return rng.randint(-2, 20) if type_ == "int" else rng.randint(-8, 80) / 4


def _copy(item):
    return model.copy.deepcopy(item)


def schema_text(schema, annotations):
    """The schema file for `schema`, with this run's `renamed_from`s."""
    out = []
    for name in sorted(schema.relations):
        rel = schema.relations[name]
        head = name + (f" renamed_from {annotations[('rel', name)]}" if ("rel", name) in annotations else "")
        cols = []
        for c, t in rel.columns:
            text = f"{c}: {t}"
            if c in rel.defaults:
                text += " = " + literal(rel.defaults[c], t)
            old = annotations.get(("col", name, c))
            if old is not None:
                text += f" renamed_from {old}"
            cols.append(text)
        out.append(f"relation {head}({', '.join(cols)})")
    for name in sorted(schema.rules):
        rule = schema.rules[name]
        t = schema.relations[rule.relation].type_of(rule.column)
        out.append(f"derived {name}(id: int) {{ {name}(I) <- {rule.relation}{{id: I, {rule.column}: X}}, "
                   f"X > {literal(rule.limit, t)} }}")
    for name in sorted(schema.indexes):
        i = schema.indexes[name]
        out.append(f"index {name} on {i.relation}({i.column}) hnsw(metric: {i.metric})")
    return "\n".join(out) + "\n"

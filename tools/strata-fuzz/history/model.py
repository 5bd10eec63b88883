"""The reference model of the history fuzzer: what a target must hold.

Written from the language's documented meaning of each change (docs/
language.md), independently of Strata's autodetector and lowering: a
schema change the generator makes is recorded here as a list of *deltas*,
each of which knows how it moves the world forward and back. The world is
the stored relations (typed columns and a set of facts each), the derived
relations (a rule spec each, evaluated here in Python) and the vector
indexes. The expected content of a target is the world after applying the
deltas of every migration its ledger holds, in dependency order.
"""
import copy

TYPES = ("int", "float", "string", "vector(2)")


def zero(type_):
    """The fill value a dropped column comes back with when reverted."""
    return {"int": 0, "float": 0.0, "string": "", "vector(2)": (0.0, 0.0)}[type_]


def convert(value, from_type, to_type):
    """The value a retype moves a fact's column to (the server's cast)."""
    if (from_type, to_type) == ("int", "float"):
        return float(value)
    if (from_type, to_type) == ("float", "int"):
        return int(value)
    raise ValueError(f"no model for retype {from_type} -> {to_type}")


class Relation:
    def __init__(self, name, columns):
        self.name = name
        self.columns = list(columns)  # [(name, type)]
        self.facts = set()  # tuples in column order
        self.defaults = {}  # column -> fill value (the schema's `= value`)

    def index_of(self, column):
        return [c for c, _ in self.columns].index(column)

    def type_of(self, column):
        return self.columns[self.index_of(column)][1]


class Rule:
    """A derived relation `NAME(id: int) <- REL{id: I, COL: X}, X > LIMIT`."""

    def __init__(self, name, relation, column, limit):
        self.name, self.relation, self.column, self.limit = name, relation, column, limit


class Index:
    def __init__(self, name, relation, column, metric):
        self.name, self.relation, self.column, self.metric = name, relation, column, metric


class World:
    def __init__(self):
        self.relations = {}
        self.rules = {}
        self.indexes = {}

    def clone(self):
        return copy.deepcopy(self)

    def derived_facts(self, rule):
        rel = self.relations[rule.relation]
        key, value = rel.index_of("id"), rel.index_of(rule.column)
        return {(f[key],) for f in rel.facts if f[value] > rule.limit}


# Deltas: each moves the world forward (apply) and back (revert), the way
# the documented operation does, facts included.

class CreateRelation:
    def __init__(self, name, columns, defaults=None):
        self.name, self.columns, self.defaults = name, list(columns), dict(defaults or {})

    def apply(self, w):
        w.relations[self.name] = Relation(self.name, self.columns)
        w.relations[self.name].defaults = dict(self.defaults)

    def revert(self, w):
        del w.relations[self.name]


class DropRelation:
    """Forward loses the facts; backward re-declares the relation empty."""

    def __init__(self, name, columns):
        self.name, self.columns = name, list(columns)

    def apply(self, w):
        del w.relations[self.name]

    def revert(self, w):
        w.relations[self.name] = Relation(self.name, self.columns)


class RenameRelation:
    def __init__(self, old, new):
        self.old, self.new = old, new

    def _move(self, w, src, dst):
        rel = w.relations.pop(src)
        rel.name = dst
        w.relations[dst] = rel
        for item in list(w.rules.values()) + list(w.indexes.values()):
            if item.relation == src:
                item.relation = dst

    def apply(self, w):
        self._move(w, self.old, self.new)

    def revert(self, w):
        self._move(w, self.new, self.old)


class AddColumn:
    """Adds a column at a position (None: last); existing facts get the
    fill value there."""

    def __init__(self, relation, column, type_, fill, position=None):
        self.relation, self.column, self.type, self.fill = relation, column, type_, fill
        self.position = position

    def _at(self, rel):
        return len(rel.columns) if self.position is None else self.position

    def apply(self, w):
        rel = w.relations[self.relation]
        i = self._at(rel)
        rel.columns.insert(i, (self.column, self.type))
        rel.defaults[self.column] = self.fill
        rel.facts = {f[:i] + (self.fill,) + f[i:] for f in rel.facts}

    def revert(self, w):
        rel = w.relations[self.relation]
        i = rel.index_of(self.column)
        del rel.columns[i]
        rel.defaults.pop(self.column, None)
        rel.facts = {f[:i] + f[i + 1:] for f in rel.facts}


class ReorderColumns:
    """The same columns in another order, every value kept in its column."""

    def __init__(self, relation, old, new):
        self.relation, self.old, self.new = relation, list(old), list(new)

    def _move(self, w, src, dst):
        rel = w.relations[self.relation]
        types = dict(rel.columns)
        perm = [src.index(c) for c in dst]
        rel.columns = [(c, types[c]) for c in dst]
        rel.facts = {tuple(f[i] for i in perm) for f in rel.facts}

    def apply(self, w):
        self._move(w, self.old, self.new)

    def revert(self, w):
        self._move(w, self.new, self.old)


class DropColumn:
    """Forward loses the values (facts that become equal merge); backward
    puts the column back at its place with its type's zero value."""

    def __init__(self, relation, column, type_, position):
        self.relation, self.column, self.type, self.position = relation, column, type_, position

    def apply(self, w):
        rel = w.relations[self.relation]
        i = self.position
        del rel.columns[i]
        rel.facts = {f[:i] + f[i + 1:] for f in rel.facts}

    def revert(self, w):
        rel = w.relations[self.relation]
        i = self.position
        rel.columns.insert(i, (self.column, self.type))
        rel.facts = {f[:i] + (zero(self.type),) + f[i:] for f in rel.facts}


class RenameColumn:
    def __init__(self, relation, old, new):
        self.relation, self.old, self.new = relation, old, new

    def _rename(self, w, src, dst):
        rel = w.relations[self.relation]
        i = rel.index_of(src)
        rel.columns[i] = (dst, rel.columns[i][1])
        if src in rel.defaults:
            rel.defaults[dst] = rel.defaults.pop(src)
        for item in list(w.rules.values()) + list(w.indexes.values()):
            if item.relation == self.relation and item.column == src:
                item.column = dst

    def apply(self, w):
        self._rename(w, self.old, self.new)

    def revert(self, w):
        self._rename(w, self.new, self.old)


class RetypeColumn:
    def __init__(self, relation, column, old, new):
        self.relation, self.column, self.old, self.new = relation, column, old, new

    def _retype(self, w, src, dst):
        rel = w.relations[self.relation]
        i = rel.index_of(self.column)
        rel.columns[i] = (self.column, dst)
        if self.column in rel.defaults:
            rel.defaults[self.column] = convert(rel.defaults[self.column], src, dst)
        rel.facts = {f[:i] + (convert(f[i], src, dst),) + f[i + 1:] for f in rel.facts}

    def apply(self, w):
        self._retype(w, self.old, self.new)

    def revert(self, w):
        self._retype(w, self.new, self.old)


class CreateRule:
    def __init__(self, rule):
        self.rule = rule

    def apply(self, w):
        w.rules[self.rule.name] = copy.deepcopy(self.rule)

    def revert(self, w):
        del w.rules[self.rule.name]


class DropRule:
    def __init__(self, rule):
        self.rule = rule

    def apply(self, w):
        del w.rules[self.rule.name]

    def revert(self, w):
        w.rules[self.rule.name] = copy.deepcopy(self.rule)


class RenameRule:
    def __init__(self, old, new):
        self.old, self.new = old, new

    def _move(self, w, src, dst):
        rule = w.rules.pop(src)
        rule.name = dst
        w.rules[dst] = rule

    def apply(self, w):
        self._move(w, self.old, self.new)

    def revert(self, w):
        self._move(w, self.new, self.old)


class SetRuleLimit:
    """A rule whose clause changed (`replace rule`): only the limit moves."""

    def __init__(self, name, old, new):
        self.name, self.old, self.new = name, old, new

    def apply(self, w):
        w.rules[self.name].limit = self.new

    def revert(self, w):
        w.rules[self.name].limit = self.old


class CreateIndex:
    def __init__(self, index):
        self.index = index

    def apply(self, w):
        w.indexes[self.index.name] = copy.deepcopy(self.index)

    def revert(self, w):
        del w.indexes[self.index.name]


class DropIndex:
    def __init__(self, index):
        self.index = index

    def apply(self, w):
        del w.indexes[self.index.name]

    def revert(self, w):
        w.indexes[self.index.name] = copy.deepcopy(self.index)


class SetIndexMetric:
    def __init__(self, name, old, new):
        self.name, self.old, self.new = name, old, new

    def apply(self, w):
        w.indexes[self.name].metric = self.new

    def revert(self, w):
        w.indexes[self.name].metric = self.old


class InsertFacts:
    """A data migration: `run iql` inserting facts forward and deleting
    the same facts backward (so a fact that was there before is gone after
    a revert, exactly as the IQL says)."""

    def __init__(self, relation, facts):
        self.relation, self.facts = relation, set(facts)

    def apply(self, w):
        w.relations[self.relation].facts |= self.facts

    def revert(self, w):
        w.relations[self.relation].facts -= self.facts


def apply_all(world, deltas):
    for d in deltas:
        d.apply(world)


def revert_all(world, deltas):
    for d in reversed(deltas):
        d.revert(world)

"""The checklist of issue 15, item 2: every function of the server's
reference (the quick-reference table of functions.md) and every aggregate
(that of aggregations.md) is in Functions.def / Aggregates.def, the one
table the engine runs from. Prints each one missing and exits 1."""
import re
import sys

reference_dir, functions_def, aggregates_def = sys.argv[1:4]


def quick_reference(path, heading):
    """Names in the first column of the table under the heading."""
    text = open(path, encoding="utf-8").read()
    section = text[text.index(heading):]
    return re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE)


def table(path, macro):
    text = open(path, encoding="utf-8").read()
    return set(re.findall(macro + r'\(\w+,\s*"(\w+)"', text))


functions = quick_reference(reference_dir + "/functions.md", "## Appendix: Function Quick Reference")
aggregates = quick_reference(reference_dir + "/aggregations.md", "## Quick Reference")
known_functions = table(functions_def, "IQL_FUNCTION")
known_aggregates = table(aggregates_def, "IQL_AGGREGATE")
missing = [f"function {n}" for n in functions if n not in known_functions]
missing += [f"aggregate {n}" for n in aggregates if n not in known_aggregates]
for m in missing:
    print(f"{m} of the server's reference is not in the table")
print(f"{len(functions)} functions, {len(aggregates)} aggregates checked")
sys.exit(1 if missing else 0)

# The Strata golden-test suite: RUN lines next to their inputs, FileCheck.
import os
import shutil
import subprocess
import lit.formats

config.name = "Strata"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".strata", ".mig", ".test"]
# Inputs/ folders hold files that tests read; Unit/ is its own suite.
config.excludes = ["Inputs", "Unit", "lit.cfg.py", "CMakeLists.txt", "expect-exit.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.strata_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.strata_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
# Diagnostics must look the same on every machine and terminal.
config.environment["NO_COLOR"] = "1"
config.environment["LC_ALL"] = "C.UTF-8"
# STRATA_REFERENCE_LEXER=1 runs the suite on the parser's reference path
# (docs/safety.md, "Testing hooks"): the differential test of diagnostics.
if os.environ.get("STRATA_REFERENCE_LEXER"):
    config.environment["STRATA_REFERENCE_LEXER"] = os.environ["STRATA_REFERENCE_LEXER"]
# STRATA_ANTLR_PARSER=1 runs it with the ANTLR parser for every file instead
# of the recursive-descent parser for well-formed schema files.
if os.environ.get("STRATA_ANTLR_PARSER"):
    config.environment["STRATA_ANTLR_PARSER"] = os.environ["STRATA_ANTLR_PARSER"]

config.substitutions.append(("%strata", os.path.join(config.strata_tools_dir, "strata")))
config.substitutions.append(("%src_root", config.strata_src_root))
# The directory of the built tools (scripts/check-docs.py puts it on PATH).
config.substitutions.append(("%bin_dir", config.strata_tools_dir))
# `%expect-exit 2 %strata ...` checks an exact exit status.
config.substitutions.append(
    ("%expect-exit", "python3 " + os.path.join(config.strata_src_root, "test", "expect-exit.py")))

# The server's own transcripts live beside the project, never inside it: a
# user's clone has none, and tests that read them then report unsupported.
shared_conformance = os.path.normpath(
    os.path.join(config.strata_src_root, "..", "shared", "conformance", "iql"))
if os.path.isdir(shared_conformance):
    config.available_features.add("shared-conformance")
    config.substitutions.append(("%conformance", shared_conformance))

# The server's reference pages, beside the project like the transcripts:
# test/Engine/reference-checklist.test reads them, or reports unsupported.
shared_reference = os.path.normpath(
    os.path.join(config.strata_src_root, "..", "shared", "reference", "inputlayer", "reference"))
if os.path.isdir(shared_reference):
    config.available_features.add("shared-reference")
    config.substitutions.append(("%reference", shared_reference))

# scripts/format.sh needs clang-format (scripts/setup.sh installs it).
if shutil.which("clang-format-14") or shutil.which("clang-format"):
    config.available_features.add("clang-format")

# The official InputLayer Python client (the `inputlayer` package, with its
# `websockets` dependency), for test/Exec/ws-sdk.test: found when python3
# can import it, or in the directory STRATA_INPUTLAYER_PY_SDK names (put
# first on PYTHONPATH). Without it the test reports unsupported.
sdk_path = os.environ.get("STRATA_INPUTLAYER_PY_SDK", "")
sdk_env = dict(os.environ)
if sdk_path:
    sdk_env["PYTHONPATH"] = os.pathsep.join(filter(None, [sdk_path, sdk_env.get("PYTHONPATH")]))
if subprocess.call(["python3", "-c", "import inputlayer, websockets"], env=sdk_env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("inputlayer-py-sdk")
    if sdk_path:
        config.environment["PYTHONPATH"] = sdk_env["PYTHONPATH"]

# test/Graph/graph-no-graphviz-linked.test reads the binary's libraries.
if shutil.which("ldd"):
    config.available_features.add("ldd")

# Debian's chromium renders the review page in test/Review (scripts/setup.sh
# installs it); without it those tests report unsupported. The flags keep
# the browser from reaching any network: every host name fails to resolve,
# and its own background services are off.
if os.path.exists("/usr/bin/chromium"):
    config.available_features.add("chromium")
    config.substitutions.append(
        ("%chromium", "timeout 120 /usr/bin/chromium --headless --disable-gpu --no-sandbox "
         "--no-first-run --disable-background-networking --disable-component-update "
         "--disable-sync --disable-default-apps --disable-extensions "
         "'--host-resolver-rules=MAP * ~NOTFOUND' --enable-logging=stderr --v=0"))

# test/Editors: the VS Code extension's TextMate grammars, run through
# vscode-tmgrammar-test (npm), which scripts/setup.sh installs into
# editors/vscode/node_modules; one on PATH does too. Without it, or
# without node, those tests report unsupported.
if shutil.which("node"):
    config.available_features.add("node")
    tmgrammar_test = os.path.join(config.strata_src_root, "editors", "vscode", "node_modules", ".bin",
                                  "vscode-tmgrammar-test")
    if not os.path.exists(tmgrammar_test):
        tmgrammar_test = shutil.which("vscode-tmgrammar-test")
    if tmgrammar_test:
        config.available_features.add("vscode-tmgrammar-test")
        config.substitutions.append(("%tmgrammar-test", tmgrammar_test))
        config.environment["STRATA_TMGRAMMAR_TEST"] = tmgrammar_test

# `%lsp-session SCRIPT --root DIR` drives `strata lsp` with a scripted
# session and prints each reply as one JSON line (test/LSP/lsp-session.py).
config.substitutions.append(
    ("%lsp-session", "python3 " + os.path.join(config.strata_src_root, "test", "LSP", "lsp-session.py")
     + " " + os.path.join(config.strata_tools_dir, "strata")))

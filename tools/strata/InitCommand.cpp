//===- InitCommand.cpp - `strata init`: scaffold a new project ------------===//
//
// The first thing a new user runs. It writes a project that every other
// command accepts as it is: the example schema checks, and
// `makemigrations` then `migrate` work on it without an edit
// (test/Driver/init.test runs exactly that).
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace strata;
using namespace strata::driver;

namespace {
constexpr const char *ExampleSchema =
    R"(// The schema of your knowledge graph: what it should look like now.
// Edit it, then run `strata makemigrations`: Strata compares it with what
// the migrations in ../migrations build and writes the migration between
// them. Every `.strata` file in this directory is part of the schema.

// A relation holds facts, one column per field, each with a type:
// int, float, string, bool, vector(N), list[T]...
relation person {
  id: int
  name: string
}

// `follows(A, B)`: person A follows person B.
relation follows(follower: int, followed: int)

// A derived relation is computed by its rules, never written to directly:
// here, everyone a person reaches by following people who follow others.
derived reaches(from: int, to: int) {
  reaches(A, B) <- follows(A, B)
  reaches(A, C) <- reaches(A, B), follows(B, C)
}
)";

constexpr const char *ProjectFile =
    R"(# Strata project settings; paths are relative to this file.
schema = "schema"
migrations = "migrations"
# Where migrate, revert, status, showmigrations and exec run unless
# --target or the STRATA_TARGET environment variable names another target:
# an embedded knowledge graph kept in this file (or ws://HOST:PORT/ws for
# an InputLayer server).
target = "file:.strata/dev.kg"
)";

constexpr const char *IgnoreLine = ".strata/\n";

/// The first thing in Dir that makes it a project already, or "".
std::string existingProjectPart(llvm::StringRef Dir) {
  for (const char *Part : {"strata.toml", "schema", "migrations"}) {
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, Part);
    if (llvm::sys::fs::exists(Path))
      return Part;
  }
  return "";
}

/// The .gitignore to write: an existing one keeps its lines and gains
/// `.strata/` unless it already ignores it.
std::optional<std::string> gitignoreText(llvm::StringRef Path) {
  auto Old = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Old)
    return std::string(IgnoreLine);
  std::string Text = (*Old)->getBuffer().str();
  llvm::SmallVector<llvm::StringRef, 16> Lines;
  llvm::StringRef(Text).split(Lines, '\n');
  for (llvm::StringRef L : Lines)
    if (L.trim() == ".strata/" || L.trim() == ".strata" || L.trim() == "/.strata/")
      return std::nullopt;
  if (!Text.empty() && Text.back() != '\n')
    Text += '\n';
  return Text + IgnoreLine;
}

class Scaffold {
public:
  Scaffold(Invocation &Inv, std::string Dir) : Inv(Inv), Dir(std::move(Dir)) {}

  /// Writes the project; reports the first thing that cannot be created.
  bool write() {
    return makeDir("") && makeDir("schema") && makeDir("migrations") &&
           writeFile("strata.toml", ProjectFile) &&
           writeFile("schema/main.strata", ExampleSchema) && writeGitignore();
  }

private:
  std::string pathOf(llvm::StringRef Rel) const {
    llvm::SmallString<256> Path(Dir);
    if (!Rel.empty())
      llvm::sys::path::append(Path, Rel);
    return Path.str().str();
  }

  bool fail(const std::string &Path, std::error_code EC) {
    Inv.diags().report(DiagKind::InitCannotWrite, llvm::SMLoc(), Path, EC.message());
    return false;
  }

  bool makeDir(llvm::StringRef Rel) {
    std::string Path = pathOf(Rel);
    if (std::error_code EC = llvm::sys::fs::create_directories(Path))
      return fail(Path, EC);
    return true;
  }

  bool writeFile(llvm::StringRef Rel, llvm::StringRef Text) {
    std::string Path = pathOf(Rel);
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_Text);
    if (!EC) {
      OS << Text;
      OS.close();
      EC = OS.error();
      OS.clear_error();
    }
    return EC ? fail(Path, EC) : true;
  }

  bool writeGitignore() {
    std::optional<std::string> Text = gitignoreText(pathOf(".gitignore"));
    return !Text || writeFile(".gitignore", *Text);
  }

  Invocation &Inv;
  std::string Dir;
};

void printNextSteps(llvm::StringRef Dir, llvm::raw_ostream &OS) {
  OS << "created a Strata project in " << Dir << ":\n"
     << "  strata.toml         settings: the schema and migrations directories, the target\n"
     << "  schema/main.strata  an example schema to edit\n"
     << "  migrations/         where `strata makemigrations` writes migrations\n"
     << "  .gitignore          keeps .strata/ (the local target, caches) out of git\n"
     << "next" << (Dir == "." ? "" : (", in " + Dir).str()) << ":\n"
     << "  strata check           check the schema\n"
     << "  strata makemigrations  write the first migration\n"
     << "  strata migrate         apply it to file:.strata/dev.kg\n";
}

int runInit(Invocation &Inv) {
  if (Inv.positional().size() > 1)
    return Inv.usageError("`init` takes at most one directory");
  if (Inv.value("--schema") || Inv.value("--migrations"))
    return Inv.usageError("`init` always creates `schema` and `migrations`; edit strata.toml "
                          "afterwards to move them");
  std::string Dir = Inv.positional().empty() ? "." : Inv.positional().front();
  // Everything is checked before the first write: a refused init leaves
  // the directory exactly as it was.
  if (std::string Part = existingProjectPart(Dir); !Part.empty()) {
    Inv.diags().report(DiagKind::InitProjectExists, llvm::SMLoc(), Dir, Part);
    return Inv.finish();
  }
  if (!Scaffold(Inv, Dir).write())
    return Inv.finish();
  printNextSteps(Dir, llvm::outs());
  return Inv.finish();
}
} // namespace

const CommandSpec strata::driver::InitCommand = {
    "init",
    "create a new project: a schema to edit, a migrations directory, settings",
    "init [DIR] [options]",
    "Creates a Strata project in DIR (default: the working directory; created\n"
    "if missing): `strata.toml` naming the schema and migrations directories\n"
    "and the default target (`file:.strata/dev.kg`, an embedded knowledge\n"
    "graph), `schema/main.strata` with a commented example schema,\n"
    "an empty `migrations/`, and a `.gitignore` entry for `.strata/` (the local\n"
    "target and caches; an existing .gitignore keeps its lines). Then it prints\n"
    "the next three commands. A DIR that already holds `strata.toml`, `schema`\n"
    "or `migrations` is refused and nothing is written (exit status 1).",
    {},
    runInit,
};

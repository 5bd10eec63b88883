//===- ProjectConfig.cpp - A small, strict reader for strata.toml ---------===//
//
// Only what Strata needs of TOML: `# comments`, `[sections]` (ignored for
// now, so future tables can be added) and `key = "string"` lines.
//
//===----------------------------------------------------------------------===//
#include "strata/Support/ProjectConfig.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace strata;

namespace {
std::string findConfig(llvm::StringRef StartDir) {
  llvm::SmallString<256> Dir(StartDir);
  llvm::sys::fs::make_absolute(Dir);
  while (true) {
    llvm::SmallString<256> Candidate(Dir);
    llvm::sys::path::append(Candidate, "strata.toml");
    if (llvm::sys::fs::is_regular_file(Candidate))
      return Candidate.str().str();
    llvm::StringRef Parent = llvm::sys::path::parent_path(Dir);
    if (Parent.empty() || Parent == Dir)
      return "";
    Dir = Parent;
  }
}

std::string resolve(llvm::StringRef Root, llvm::StringRef Path) {
  if (llvm::sys::path::is_absolute(Path))
    return Path.str();
  llvm::SmallString<256> Out(Root);
  llvm::sys::path::append(Out, Path);
  return Out.str().str();
}

llvm::SMRange rangeOf(llvm::StringRef Text) {
  return {llvm::SMLoc::getFromPointer(Text.begin()), llvm::SMLoc::getFromPointer(Text.end())};
}

/// The line without its `# comment`; a `#` inside a string is kept.
llvm::StringRef withoutComment(llvm::StringRef Line) {
  bool InString = false;
  for (size_t I = 0; I < Line.size(); ++I) {
    if (Line[I] == '"')
      InString = !InString;
    else if (Line[I] == '#' && !InString)
      return Line.take_front(I);
  }
  return Line;
}

/// Parses one `key = "value"` line; reports and returns false when it is not.
bool parseLine(llvm::StringRef Line, DiagnosticEngine &Diags,
               llvm::StringMap<llvm::StringRef> &Keys, ProjectConfig &Config) {
  auto [Key, Rest] = Line.split('=');
  Key = Key.trim();
  llvm::StringRef Value = Rest.trim();
  if (Rest.data() == nullptr || Key.empty()) {
    Diags.reportAt(DiagKind::ConfigSyntax, rangeOf(Line));
    return false;
  }
  std::string *Slot = Key == "schema"       ? &Config.SchemaDir
                      : Key == "migrations" ? &Config.MigrationsDir
                      : Key == "target"     ? &Config.Target
                                            : nullptr;
  if (!Slot) {
    Diags.reportAt(DiagKind::ConfigUnknownKey, rangeOf(Key), Key.str());
    return false;
  }
  if (Value.size() < 2 || !Value.startswith("\"") || !Value.endswith("\"")) {
    Diags.reportAt(DiagKind::ConfigValueNotString, rangeOf(Value.empty() ? Key : Value), Key.str());
    return false;
  }
  auto [It, Inserted] = Keys.try_emplace(Key, Key);
  if (!Inserted) {
    Diags.reportAt(DiagKind::ConfigDuplicateKey, rangeOf(Key), Key.str())
        .note(DiagKind::NotePreviousSetting, llvm::SMLoc::getFromPointer(It->second.begin()));
    return false;
  }
  *Slot = Value.drop_front().drop_back().str();
  return true;
}
} // namespace

std::optional<ProjectConfig> strata::loadProjectConfig(llvm::StringRef StartDir,
                                                       DiagnosticEngine &Diags) {
  std::string ConfigPath = findConfig(StartDir);
  if (ConfigPath.empty()) {
    llvm::SmallString<256> Root(StartDir);
    llvm::sys::fs::make_absolute(Root);
    ProjectConfig Config;
    Config.Root = Root.str().str();
    Config.SchemaDir = resolve(Config.Root, "schema");
    Config.MigrationsDir = resolve(Config.Root, "migrations");
    return Config;
  }
  std::optional<unsigned> ID = loadSourceFile(ConfigPath, Diags);
  if (!ID)
    return std::nullopt;
  return parseProjectConfig(ConfigPath, *ID, Diags);
}

std::optional<ProjectConfig>
strata::parseProjectConfig(llvm::StringRef ConfigPath, unsigned BufferID, DiagnosticEngine &Diags) {
  ProjectConfig Config;
  llvm::SmallString<256> Path(ConfigPath);
  llvm::sys::fs::make_absolute(Path);
  Config.ConfigPath = Path.str().str();
  Config.Root = llvm::sys::path::parent_path(Config.ConfigPath).str();
  bool Ok = true;
  llvm::StringRef Text = Diags.sourceMgr().getMemoryBuffer(BufferID)->getBuffer();
  llvm::StringMap<llvm::StringRef> Keys;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    llvm::StringRef Content = withoutComment(Line).trim();
    if (Content.empty() || (Content.startswith("[") && Content.endswith("]")))
      continue;
    Ok &= parseLine(Content, Diags, Keys, Config);
  }
  Config.SchemaDir = resolve(Config.Root, Config.SchemaDir.empty() ? "schema" : Config.SchemaDir);
  Config.MigrationsDir =
      resolve(Config.Root, Config.MigrationsDir.empty() ? "migrations" : Config.MigrationsDir);
  if (!Ok)
    return std::nullopt;
  return Config;
}

//===- Workspace.h - The language server's documents and checks -*- C++ -*-===//
//
// The document store of `strata lsp`: the text of every open document (the
// editor's, which wins over the disk) and the checks over them, done as the
// commands do them. Schema files are checked together (`strata check`):
// each keeps its syntax tree between edits and an edit reparses only the
// items it changed (strata/Parse/Reparse.h); the other files' trees stay.
// The migration history is verified as `strata verify` does, and
// strata.toml read as every command reads it.
//
// The workspace also keeps a symbol index (strata/Index/SymbolIndex.h) of
// the project's schema and migration files and of every open schema or
// migration document, each at its current text. An edit only marks its
// file; the next query reindexes the files marked and those whose disk
// copy changed, so typing costs the index nothing until it is asked.
//
// Nothing here prints; results are LSP JSON values for the server to send.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LSP_WORKSPACE_H
#define STRATA_LSP_WORKSPACE_H

#include "strata/AST/SourceFile.h"
#include "strata/Index/SymbolIndex.h"
#include "strata/LSP/Positions.h"
#include "strata/Support/ProjectConfig.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Chrono.h"
#include "llvm/Support/JSON.h"
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace strata::lsp {

enum class DocumentKind { Schema, Migration, Config };
/// `.mig`, `strata.toml`, or a schema file (anything else).
DocumentKind documentKindForPath(llvm::StringRef Path);

/// `file:///a%20b` -> `/a b`; nullopt for another scheme or a bad escape.
std::optional<std::string> uriToPath(llvm::StringRef Uri);
std::string pathToUri(llvm::StringRef Path);

struct Document {
  std::string Path;
  std::string Text;
  int64_t Version = 0;
  DocumentKind Kind = DocumentKind::Schema;
};

/// A quick fix: a diagnostic's fix-its as one workspace edit.
struct QuickFix {
  Position Start, End; // the diagnostic's range, to match a request's range
  llvm::json::Object Diagnostic;
  llvm::json::Object Edit; // WorkspaceEdit
  std::string Title;
};

/// What was last computed for one file.
struct FileDiagnostics {
  llvm::json::Array Diagnostics;
  std::vector<QuickFix> Fixes;
};

class SchemaSet;

class Workspace {
public:
  Workspace();
  ~Workspace();

  /// The directory strata.toml is searched from (the client's root).
  void setRoot(llvm::StringRef Dir);
  /// Directories that win over strata.toml's, when not empty.
  void setDirectories(std::string SchemaDir, std::string MigrationsDir);
  /// Keeps the project's directories under Dir (see ServerOptions).
  void setSandbox(std::string Dir) { Sandbox = std::move(Dir); }

  const Document *document(llvm::StringRef Path) const;
  void open(llvm::StringRef Path, std::string Text, int64_t Version);
  /// Replaces the text of an open document. False when it is not open.
  bool update(llvm::StringRef Path, std::string Text, int64_t Version);
  void close(llvm::StringRef Path);

  /// Checks again what a change of Path affects and returns the files
  /// whose diagnostics are to be published: Path itself and every other
  /// file whose diagnostics changed.
  std::vector<std::string> recheck(llvm::StringRef Path);
  /// The diagnostics last computed for Path (empty when none).
  const FileDiagnostics &diagnostics(llvm::StringRef Path) const;

  /// The text of Path: the open document's, or the file's on disk.
  std::optional<std::string> text(llvm::StringRef Path) const;
  /// Calls F with the syntax tree of Path's current text and that text
  /// (parsing it when no cached tree fits). False when Path has no text.
  bool withSyntax(llvm::StringRef Path,
                  const std::function<void(const ast::SourceFile &, llvm::StringRef)> &F);
  /// The project as strata.toml (the open document's text, if open) says.
  ProjectConfig project();
  /// Every schema file of the project (checked at least once), by path.
  std::vector<std::string> schemaFiles();
  /// Calls F with the syntax trees of the project's schema files, each at
  /// its current text.
  void withProjectSchema(const std::function<void(llvm::ArrayRef<ast::SourceFile>)> &F);
  /// Open schema documents whose text is not what the disk holds.
  std::vector<std::string> unsavedSchemaFiles() const;

  /// The symbol index, brought up to date with the current texts first.
  const index::SymbolIndex &symbols();

private:
  SchemaSet &setFor(llvm::StringRef Path);
  SchemaSet &projectSet(const std::string &SchemaDir);
  std::vector<std::string> recheckSchema(SchemaSet &Set, llvm::StringRef Edited);
  std::vector<std::string> recheckHistory(llvm::StringRef Edited);
  std::vector<std::string> recheckConfig(llvm::StringRef Path);
  /// Stores D for Path; true when it differs from what was stored.
  bool store(const std::string &Path, FileDiagnostics D);
  /// The files the index is to hold: the project's schema and migration
  /// files and the open schema and migration documents.
  std::set<std::string> indexedPaths();
  /// Reindexes Path from the editor's text or the disk when it changed.
  void reindex(const std::string &Path);

  std::string Root;
  std::string SchemaDirOverride, MigrationsDirOverride, Sandbox;
  llvm::StringMap<Document> Documents;
  std::map<std::string, FileDiagnostics> Diagnostics;
  /// The project's schema set, and one set for each schema file outside
  /// the schema directory (checked on its own).
  std::unique_ptr<SchemaSet> ProjectSet;
  std::map<std::string, std::unique_ptr<SchemaSet>> LooseSets;
  std::string ProjectSchemaDir;

  /// What the index holds of one file: the editor's text, or the disk's
  /// at a size and time.
  struct IndexedFile {
    bool FromEditor = false;
    llvm::sys::TimePoint<> MTime;
    uint64_t Size = 0;
  };
  index::SymbolIndex Index;
  std::map<std::string, IndexedFile> Indexed;
  /// Documents opened, edited or closed since the index last saw them.
  std::set<std::string> IndexStale;
};

} // namespace strata::lsp

#endif

//===- ResolveType.cpp - Column types as written to semantic types --------===//
//
// The server's type parser (statement/types.rs) accepts int, float, string,
// bool, vector (also `vec`, `embedding`), vector(N), list[T] and records.
// Everything else is rejected there, so it is rejected here, with the
// spelling the author most likely wanted.
//
//===----------------------------------------------------------------------===//
#include "strata/Sema/Suggest.h"
#include "strata/Sema/Type.h"
#include "llvm/ADT/StringSet.h"
#include <cctype>

using namespace strata;
using namespace strata::sema;

namespace {

std::optional<Type> builtinScalar(llvm::StringRef Name) {
  if (Name == "int")
    return Type::intTy();
  if (Name == "float")
    return Type::floatTy();
  if (Name == "string")
    return Type::stringTy();
  if (Name == "bool")
    return Type::boolTy();
  if (Name == "vector" || Name == "vec" || Name == "embedding")
    return Type::vectorTy();
  return std::nullopt;
}

bool isVectorName(llvm::StringRef Name) {
  return Name == "vector" || Name == "vec" || Name == "embedding";
}

/// Type names other tools accept that the server does not, with the type to
/// use instead and why.
struct Rejected {
  const char *Name;
  const char *Instead; // empty: no single replacement
  const char *Why;
};
const Rejected RejectedTypes[] = {
    {"timestamp", "int",
     "store timestamps as `int` milliseconds, as the server's time functions expect"},
    {"datetime", "int",
     "store timestamps as `int` milliseconds, as the server's time functions expect"},
    {"time", "int",
     "store timestamps as `int` milliseconds, as the server's time functions expect"},
    {"date", "int", "store dates as `int` milliseconds, as the server's time functions expect"},
    {"symbol", "string", "use `string`"},
    {"text", "string", "use `string`"},
    {"str", "string", "use `string`"},
    {"varchar", "string", "use `string`"},
    {"int64", "int", "`int` is already 64 bits"},
    {"int32", "int", "use `int` (64 bits)"},
    {"integer", "int", "use `int`"},
    {"long", "int", "use `int`"},
    {"i64", "int", "use `int`"},
    {"double", "float", "`float` is already 64 bits"},
    {"float64", "float", "`float` is already 64 bits"},
    {"f64", "float", "`float` is already 64 bits"},
    {"real", "float", "use `float`"},
    {"number", "float", "use `int` or `float`"},
    {"boolean", "bool", "use `bool`"},
    {"any", "", "give the column a concrete type"},
};

class TypeResolver {
public:
  explicit TypeResolver(DiagnosticEngine &Diags) : Diags(Diags) {}

  std::optional<Type> resolve(const ast::TypeExpr &T) {
    switch (T.TheForm) {
    case ast::TypeExpr::Form::Named:
      return named(T);
    case ast::TypeExpr::Form::Sized:
      return sized(T);
    case ast::TypeExpr::Form::BracketSized:
      return bracketSized(T);
    case ast::TypeExpr::Form::Bracketed:
      return bracketed(T);
    case ast::TypeExpr::Form::Record:
      return record(T);
    }
    return std::nullopt;
  }

private:
  /// Reports a name that is not a built-in type; false when Name is fine.
  bool reportBadName(const ast::Ident &Name) {
    llvm::StringRef N = Name.Name;
    if (builtinScalar(N) || N == "list")
      return false;
    if (!N.empty() && std::isupper(static_cast<unsigned char>(N[0]))) {
      DiagnosticBuilder B = Diags.reportAt(DiagKind::NamedTypeUnsupported, Name.Range, N.str());
      std::string Lower = N.lower();
      if (builtinScalar(Lower) || Lower == "list")
        B.fixIt(Name.Range, Lower);
      return true;
    }
    for (const Rejected &R : RejectedTypes) {
      if (N != R.Name)
        continue;
      DiagnosticBuilder B = Diags.reportAt(DiagKind::UnsupportedType, Name.Range, N.str(), R.Why);
      if (*R.Instead)
        B.fixIt(Name.Range, R.Instead);
      return true;
    }
    NameSuggester S(N);
    for (const char *Known : {"bool", "float", "int", "list", "string", "vector"})
      S.offer(Known);
    addSuggestion(Diags.reportAt(DiagKind::UnknownType, Name.Range, N.str()), Name.Range, S.best());
    return true;
  }

  std::optional<Type> named(const ast::TypeExpr &T) {
    if (reportBadName(T.Name))
      return std::nullopt;
    if (T.Name.Name == "list") {
      Diags.reportAt(DiagKind::ListNeedsElement, T.Range);
      return std::nullopt;
    }
    return builtinScalar(T.Name.Name);
  }

  std::optional<uint32_t> dimension(const ast::TypeExpr &T) {
    if (T.Size < 1 || T.Size > MaxVectorDimension) {
      Diags.reportAt(DiagKind::BadVectorDimension, T.Range, T.Size, MaxVectorDimension);
      return std::nullopt;
    }
    return static_cast<uint32_t>(T.Size);
  }

  std::optional<Type> sized(const ast::TypeExpr &T) {
    if (reportBadName(T.Name))
      return std::nullopt;
    if (!isVectorName(T.Name.Name)) {
      Diags.reportAt(DiagKind::TypeTakesNoSize, T.Range, T.Name.Name);
      return std::nullopt;
    }
    if (auto Dim = dimension(T))
      return Type::vectorTy(*Dim);
    return std::nullopt;
  }

  std::optional<Type> bracketSized(const ast::TypeExpr &T) {
    if (reportBadName(T.Name))
      return std::nullopt;
    if (isVectorName(T.Name.Name)) {
      std::string Fixed = fmt::format("vector({0})", T.Size);
      Diags.reportAt(DiagKind::BracketVectorSize, T.Range, T.Size).fixIt(T.Range, Fixed);
      return std::nullopt;
    }
    if (T.Name.Name == "list")
      Diags.reportAt(DiagKind::ListNeedsElement, T.Range);
    else
      Diags.reportAt(DiagKind::TypeTakesNoSize, T.Range, T.Name.Name);
    return std::nullopt;
  }

  std::optional<Type> bracketed(const ast::TypeExpr &T) {
    if (reportBadName(T.Name))
      return std::nullopt;
    if (T.Name.Name != "list") {
      Diags.reportAt(DiagKind::TypeTakesNoElement, T.Range, T.Name.Name);
      return std::nullopt;
    }
    if (T.Element.empty())
      return std::nullopt;
    std::optional<Type> Elem = resolve(T.Element.front());
    if (!Elem)
      return std::nullopt;
    return Type::listTy(std::move(*Elem));
  }

  std::optional<Type> record(const ast::TypeExpr &T) {
    std::vector<RecordField> Fields;
    llvm::StringSet<> Seen;
    bool Ok = true;
    for (const ast::TypeField &F : T.Fields) {
      if (!Seen.insert(F.Name.Name).second) {
        Diags.reportAt(DiagKind::DuplicateField, F.Name.Range, F.Name.Name);
        Ok = false;
      }
      std::optional<Type> FT = resolve(F.Type);
      if (!FT) {
        Ok = false;
        continue;
      }
      Fields.push_back({F.Name.Name, std::move(*FT)});
    }
    if (!Ok)
      return std::nullopt;
    return Type::recordTy(std::move(Fields));
  }

  DiagnosticEngine &Diags;
};

} // namespace

std::optional<Type> strata::resolveType(const ast::TypeExpr &T, DiagnosticEngine &Diags) {
  return TypeResolver(Diags).resolve(T);
}

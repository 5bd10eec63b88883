//===- AutodetectCasts.cpp - The casts of retyped columns ------------------===//
//
// Each direction of a retype takes, in this order: a `--cast` (forward) or
// `--cast-reverse` answer, checked against the column's types; the server's
// conversion between the two types (Conversions.h); a cast asked for in a
// terminal. A forward with none of them is refused (MissingCast), since
// `migrate`'s pre-check would refuse to move the unconverted values; a
// reverse with none is left out, which lint S002 reports as a lossy
// backward.
//
//===----------------------------------------------------------------------===//
#include "AutodetectImpl.h"
#include "strata/Sema/Conversions.h"
#include "strata/Sema/Sema.h"

using namespace strata;
using namespace strata::detail;

namespace {
/// The variable of the casts makemigrations writes.
constexpr const char *CastVar = "X";

std::optional<Cast> conversion(const Type &From, const Type &To) {
  if (std::optional<Conversion> C = serverConversion(From, To))
    return Cast{CastVar, conversionCall(*C, CastVar)};
  return std::nullopt;
}
} // namespace

CastResolver::CastResolver(const SchemaState &To, const AutodetectOptions &Opts,
                           DiagnosticEngine &Diags)
    : To(To), Opts(Opts), Diags(Diags), Used(Opts.Casts.size(), false) {}

/// The answer for Column in one direction, checked; Failed is set when it
/// does not check.
std::optional<Cast> CastResolver::answered(const std::string &Column, bool Reverse,
                                           const Type &From, const Type &ToTy, bool &Failed) {
  for (size_t I = 0; I < Opts.Casts.size(); ++I) {
    const AutodetectOptions::CastAnswer &A = Opts.Casts[I];
    if (A.Column != Column || A.Reverse != Reverse || Used[I])
      continue;
    Used[I] = true;
    if (!checkCast(A.TheCast.Var, A.TheCast.Body, From, ToTy, Column, Diags)) {
      Failed = true;
      return std::nullopt;
    }
    return A.TheCast;
  }
  return std::nullopt;
}

OperationPtr CastResolver::withCasts(const RetypeColumn &Op) {
  std::string Column = Op.Relation + "." + Op.Column;
  bool Failed = false;
  std::optional<Cast> Using = answered(Column, false, Op.From, Op.To, Failed);
  std::optional<Cast> Reverse = answered(Column, true, Op.To, Op.From, Failed);
  if (Failed)
    return nullptr;
  bool Asked = false;
  if (!Using)
    Using = conversion(Op.From, Op.To);
  if (!Using && Opts.AskCast) {
    Using = Opts.AskCast(Op.Relation, Op.Column, Op.From, Op.To, false);
    Asked = true;
  }
  if (!Using) {
    llvm::SMRange At;
    if (const RelationDef *R = To.relation(Op.Relation))
      if (std::optional<size_t> I = R->Columns.find(Op.Column))
        At = R->Columns.Columns[*I].Loc;
    Diags.reportAt(DiagKind::MissingCast, At, Op.Relation, Op.Column, Op.From.str(), Op.To.str());
    return nullptr;
  }
  if (!Reverse)
    Reverse = conversion(Op.To, Op.From);
  // Asked for the forward: the reverse is asked too (an empty answer
  // leaves it out).
  if (!Reverse && Asked)
    Reverse = Opts.AskCast(Op.Relation, Op.Column, Op.From, Op.To, true);
  return std::make_shared<RetypeColumn>(Op.Relation, Op.Column, Op.From, Op.To, std::move(Using),
                                        std::move(Reverse));
}

bool CastResolver::reportUnused(const SchemaState &From) {
  bool Ok = true;
  for (size_t I = 0; I < Opts.Casts.size(); ++I) {
    const AutodetectOptions::CastAnswer &A = Opts.Casts[I];
    bool Conflict = false;
    for (size_t J = 0; J < I && !Conflict; ++J) {
      const AutodetectOptions::CastAnswer &First = Opts.Casts[J];
      if (First.Column != A.Column || First.Reverse != A.Reverse)
        continue;
      Diags
          .reportAt(DiagKind::AnswerConflict, A.Loc, A.Flag + " " + A.Column,
                    First.Flag + " " + First.Column,
                    "each direction of retyped column `" + A.Column + "`")
          .noteAt(DiagKind::NoteFirstAnswerHere, First.Loc, First.Flag + " " + First.Column);
      Conflict = true;
    }
    Ok &= !Conflict;
    if (Conflict || Used[I])
      continue;
    auto [Rel, Col] = llvm::StringRef(A.Column).split('.');
    const RelationDef *New = To.relation(Rel);
    const RelationDef *Old = From.relation(Rel);
    std::string Why;
    if (!New)
      Why = "`" + Rel.str() + "` is not a stored relation of the schema files";
    else if (!New->Columns.find(Col))
      Why = "`" + Rel.str() + "` has no column `" + Col.str() + "` in the schema files";
    else if (Old && Old->Columns.find(Col) &&
             Old->Columns.Columns[*Old->Columns.find(Col)].Ty ==
                 New->Columns.Columns[*New->Columns.find(Col)].Ty)
      Why = "`" + A.Column + "` keeps its type `" +
            New->Columns.Columns[*New->Columns.find(Col)].Ty.str() + "`";
    else
      Why = "`" + A.Column + "` is not retyped (it is new, or its relation is)";
    Diags.reportAt(DiagKind::CastAnswerUnused, A.Loc, A.Flag, A.Column, Why);
    Ok = false;
  }
  return Ok;
}

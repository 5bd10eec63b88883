//===- Conversions.cpp - The server's conversions between column types ----===//
//
// The pairs are those the server's conversion functions handle (its
// functions reference and the conformance transcripts of `to_int`,
// `to_float` and `concat`): between int, float and string. Bools, vectors,
// lists and records have no conversion: a retype of one needs a cast from
// the author.
//
//===----------------------------------------------------------------------===//
#include "strata/Sema/Conversions.h"
#include "strata/AST/Printer.h"

using namespace strata;
using iql::FunctionId;

namespace {
struct Row {
  Type::Kind From, To;
  Conversion C;
};

const Row Table[] = {
    {Type::Kind::Int,
     Type::Kind::Float,
     {FunctionId::ToFloat, "rounds ints beyond 2^53 in magnitude to the nearest float"}},
    {Type::Kind::Float,
     Type::Kind::Int,
     {FunctionId::ToInt, "drops the fractional part (3.7 becomes 3) and fails for floats "
                         "beyond the int range"}},
    {Type::Kind::Int, Type::Kind::String, {FunctionId::Concat, ""}},
    {Type::Kind::Float, Type::Kind::String, {FunctionId::Concat, ""}},
    {Type::Kind::String,
     Type::Kind::Int,
     {FunctionId::ToInt, "fails for strings that are not whole numbers (\"3.5\", \"n/a\")"}},
    {Type::Kind::String,
     Type::Kind::Float,
     {FunctionId::ToFloat, "fails for strings that are not numbers (\"n/a\")"}},
};
} // namespace

std::optional<Conversion> strata::serverConversion(const Type &From, const Type &To) {
  for (const Row &R : Table)
    if (R.From == From.kind() && R.To == To.kind())
      return R.C;
  return std::nullopt;
}

ast::Expr strata::conversionCall(const Conversion &C, llvm::StringRef Var) {
  const iql::BuiltinFunction &F = iql::functionInfo(C.Function);
  ast::Expr Call;
  Call.TheKind = ast::Expr::Kind::Call;
  Call.Text = F.Name;
  ast::Expr Value;
  Value.TheKind = ast::Expr::Kind::Variable;
  Value.Text = Var.str();
  Call.Operands.push_back(std::move(Value));
  while (Call.Operands.size() < F.Arity) {
    ast::Expr Empty;
    Empty.TheKind = ast::Expr::Kind::String;
    Call.Operands.push_back(std::move(Empty));
  }
  return Call;
}

std::optional<Conversion> strata::writtenConversion(llvm::StringRef Var, const ast::Expr &Body,
                                                    const Type &From, const Type &To) {
  std::optional<Conversion> C = serverConversion(From, To);
  if (!C || ast::toString(Body) != ast::toString(conversionCall(*C, Var)))
    return std::nullopt;
  return C;
}

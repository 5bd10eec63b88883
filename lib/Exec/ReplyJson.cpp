//===- ReplyJson.cpp - Replies as the server's JSON frames ----------------===//
#include "strata/Exec/ReplyFormat.h"
#include "strata/Support/Json.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>
#include <fmt/format.h>

using namespace strata;
using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

Value exec::replyToJson(const Reply &R) {
  if (R.IsError) {
    Array Errors;
    for (const ValidationError &E : R.ValidationErrors)
      Errors.push_back(Object{{"line", int64_t(E.Line)},
                              {"statement_index", int64_t(E.StatementIndex)},
                              {"error", E.Message}});
    return Object{
        {"type", "error"}, {"message", R.ErrorMessage}, {"validation_errors", std::move(Errors)}};
  }
  Array Columns, Rows;
  for (const std::string &C : R.Columns)
    Columns.push_back(C);
  for (const auto &Row : R.Rows)
    Rows.push_back(Array(Row));
  return Object{{"type", "result"},
                {"columns", std::move(Columns)},
                {"rows", std::move(Rows)},
                {"row_count", int64_t(R.Rows.size())}};
}

namespace {
llvm::Error malformed(const std::string &What) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "malformed reply: " + What);
}
} // namespace

llvm::Expected<Reply> exec::replyFromJson(const Value &Frame) {
  const Object *O = Frame.getAsObject();
  if (!O)
    return malformed("not a JSON object");
  llvm::Optional<llvm::StringRef> Type = O->getString("type");
  if (!Type)
    return malformed("no `type` field");
  Reply R;
  if (*Type == "error") {
    R.IsError = true;
    if (llvm::Optional<llvm::StringRef> M = O->getString("message"))
      R.ErrorMessage = M->str();
    if (const Array *Errors = O->getArray("validation_errors"))
      for (const Value &E : *Errors) {
        const Object *EO = E.getAsObject();
        if (!EO)
          return malformed("a validation error is not an object");
        ValidationError VE;
        VE.Line = unsigned(jsonInteger(*EO, "line").getValueOr(0));
        VE.StatementIndex = unsigned(jsonInteger(*EO, "statement_index").getValueOr(0));
        if (llvm::Optional<llvm::StringRef> M = EO->getString("error"))
          VE.Message = M->str();
        R.ValidationErrors.push_back(std::move(VE));
      }
    return R;
  }
  if (*Type != "result")
    return malformed(fmt::format("unexpected frame type `{}`", Type->str()));
  const Array *Columns = O->getArray("columns");
  const Array *Rows = O->getArray("rows");
  if (!Columns || !Rows)
    return malformed("a result without `columns` or `rows`");
  for (const Value &C : *Columns) {
    llvm::Optional<llvm::StringRef> S = C.getAsString();
    if (!S)
      return malformed("a column name is not a string");
    R.Columns.push_back(S->str());
  }
  for (const Value &Row : *Rows) {
    const Array *Cells = Row.getAsArray();
    if (!Cells)
      return malformed("a row is not an array");
    if (Cells->size() != R.Columns.size())
      return malformed(
          fmt::format("a row has {} cells for {} columns", Cells->size(), R.Columns.size()));
    R.Rows.emplace_back(Cells->begin(), Cells->end());
  }
  return R;
}

namespace {
void writeValue(const Value &V, llvm::raw_ostream &OS) {
  switch (V.kind()) {
  case Value::Number:
    OS << exec::cellText(V); // numbers are spelled as the server's JSON library does
    return;
  case Value::Array: {
    OS << '[';
    bool First = true;
    for (const Value &E : *V.getAsArray()) {
      if (!First)
        OS << ',';
      First = false;
      writeValue(E, OS);
    }
    OS << ']';
    return;
  }
  case Value::Object: {
    const llvm::json::Object &O = *V.getAsObject();
    std::vector<std::string> Keys;
    for (const auto &KV : O)
      Keys.push_back(KV.first.str());
    std::sort(Keys.begin(), Keys.end());
    OS << '{';
    for (size_t I = 0; I < Keys.size(); ++I) {
      OS << (I ? "," : "") << llvm::formatv("{0}", Value(Keys[I])) << ':';
      writeValue(*O.get(Keys[I]), OS);
    }
    OS << '}';
    return;
  }
  default:
    OS << llvm::formatv("{0}", V); // null, booleans, strings
    return;
  }
}
} // namespace

std::string exec::frameText(const Value &V) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  writeValue(V, OS);
  return OS.str();
}

namespace {
/// Whether a whole number in a column of type T is a float: a negative
/// whole double reads as an integer in JSON, and the column says which.
bool wantsFloat(const iql::ColumnType *T) { return T && T->K == iql::ColumnType::Kind::Float; }

std::optional<iql::Value> cellValue(const Value &Cell, const iql::ColumnType *Type) {
  switch (Cell.kind()) {
  case Value::Null:
    return iql::Value::null();
  case Value::Boolean:
    return iql::Value::boolean(*Cell.getAsBoolean());
  case Value::String:
    return iql::Value::string(Cell.getAsString()->str());
  case Value::Number: {
    // getAsUINT64 answers only for integers (ReplyTable.cpp's numberText).
    if (llvm::Optional<uint64_t> U = Cell.getAsUINT64())
      return *U <= uint64_t(INT64_MAX) ? iql::Value::integer(int64_t(*U))
                                       : iql::Value::real(double(*U));
    double D = *Cell.getAsNumber();
    if (llvm::Optional<int64_t> I = jsonInteger(Cell); I && D < 0 && !wantsFloat(Type))
      return iql::Value::integer(*I);
    return iql::Value::real(D);
  }
  case Value::Array: {
    const iql::ColumnType *Element = nullptr;
    if (Type && Type->K == iql::ColumnType::Kind::List && !Type->Element.empty())
      Element = &Type->Element.front();
    std::vector<iql::Value> Elements;
    for (const Value &E : *Cell.getAsArray()) {
      std::optional<iql::Value> V = cellValue(E, Element);
      if (!V)
        return std::nullopt;
      Elements.push_back(std::move(*V));
    }
    return iql::Value::list(std::move(Elements));
  }
  case Value::Object:
    return std::nullopt;
  }
  return std::nullopt;
}
} // namespace

std::optional<std::string> exec::cellLiteral(const Value &Cell, const iql::ColumnType *Type) {
  std::optional<iql::Value> V = cellValue(Cell, Type);
  if (!V)
    return std::nullopt;
  return V->literal();
}

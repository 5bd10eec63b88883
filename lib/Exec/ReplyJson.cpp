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

namespace {
Object errorObject(const Reply &R) {
  Array Errors;
  for (const ValidationError &E : R.ValidationErrors)
    Errors.push_back(Object{{"line", int64_t(E.Line)},
                            {"statement_index", int64_t(E.StatementIndex)},
                            {"error", E.Message}});
  return Object{
      {"type", "error"}, {"message", R.ErrorMessage}, {"validation_errors", std::move(Errors)}};
}
} // namespace

std::string exec::rowJson(const std::vector<Cell> &Row) {
  std::string Out = "[";
  for (size_t I = 0; I < Row.size(); ++I)
    Out += (I ? "," : "") + cellJson(Row[I]);
  return Out + "]";
}

std::string exec::replyFrame(const Reply &R, const Object &Extra) {
  Object O;
  if (R.IsError) {
    O = errorObject(R);
  } else {
    Array Columns;
    for (const std::string &C : R.Columns)
      Columns.push_back(C);
    O = Object{
        {"type", "result"}, {"columns", std::move(Columns)}, {"row_count", int64_t(R.Rows.size())}};
  }
  for (const auto &[Key, V] : Extra)
    O.try_emplace(Key, V);
  // The rows are written from the cells, which know an integer from a
  // whole double; everything else goes through frameText.
  std::string RowsText;
  if (!R.IsError) {
    O.erase("rows");
    RowsText = "[";
    for (size_t I = 0; I < R.Rows.size(); ++I)
      RowsText += (I ? "," : "") + rowJson(R.Rows[I]);
    RowsText += "]";
  }
  std::vector<std::string> Keys;
  for (const auto &KV : O)
    Keys.push_back(KV.first.str());
  if (!R.IsError)
    Keys.push_back("rows");
  std::sort(Keys.begin(), Keys.end());
  std::string Out = "{";
  for (const std::string &Key : Keys)
    Out += (Out.size() > 1 ? "," : "") + frameText(Value(Key)) + ":" +
           (Key == "rows" && !R.IsError ? RowsText : frameText(*O.get(Key)));
  return Out + "}";
}

namespace {
llvm::Error malformed(const std::string &What) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "malformed reply: " + What);
}
} // namespace

llvm::Expected<std::vector<std::vector<Cell>>> exec::rowCells(const Object &Frame,
                                                              llvm::StringRef Text) {
  std::vector<std::vector<Cell>> Out;
  const Array *Rows = Frame.getArray("rows");
  if (!Rows)
    return Out;
  if (Text.empty()) {
    for (const Value &Row : *Rows) {
      Out.emplace_back();
      if (const Array *Cells = Row.getAsArray())
        for (const Value &C : *Cells)
          Out.back().push_back(Cell::fromJson(C));
    }
    return Out;
  }
  llvm::Expected<Cell> Whole = parseCell(Text);
  if (!Whole)
    return Whole.takeError();
  const Cell::ObjectT *WholeObject = Whole->getAsObject();
  auto It = WholeObject ? WholeObject->find("rows") : Cell::ObjectT::const_iterator();
  if (!WholeObject || It == WholeObject->end() || !It->second.getAsList())
    return malformed("the frame's text does not match its JSON");
  for (const Cell &Row : *It->second.getAsList())
    Out.push_back(Row.getAsList() ? *Row.getAsList() : std::vector<Cell>());
  // Both readers keep the last of repeated keys, so the shapes agree.
  bool Same = Out.size() == Rows->size();
  for (size_t I = 0; Same && I < Out.size(); ++I) {
    const Array *Cells = (*Rows)[I].getAsArray();
    Same = Cells ? Cells->size() == Out[I].size() : Out[I].empty();
  }
  if (!Same)
    return malformed("the frame's text does not match its JSON");
  return Out;
}

llvm::Expected<Reply> exec::replyFromJson(const Value &Frame, llvm::StringRef Text) {
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
  }
  llvm::Expected<std::vector<std::vector<Cell>>> Cells = rowCells(*O, Text);
  if (!Cells)
    return Cells.takeError();
  R.Rows = std::move(*Cells);
  return R;
}

namespace {
void writeValue(const Value &V, llvm::raw_ostream &OS) {
  switch (V.kind()) {
  case Value::Number:
    OS << cellJson(Cell::fromJson(V)); // spelled as the server's JSON library does
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
/// Whether a negative integer in a column of type T is a float: a cell
/// read from a JSON tree rather than text (Cell::fromJson) cannot tell a
/// negative whole double from an integer, and the column says which.
bool wantsFloat(const iql::ColumnType *T) { return T && T->K == iql::ColumnType::Kind::Float; }

std::optional<iql::Value> cellValue(const Cell &C, const iql::ColumnType *Type) {
  switch (C.kind()) {
  case Cell::Kind::Null:
    return iql::Value::null();
  case Cell::Kind::Boolean:
    return iql::Value::boolean(*C.getAsBoolean());
  case Cell::Kind::String:
    return iql::Value::string(C.getAsString()->str());
  case Cell::Kind::Integer:
    if (*C.getAsInteger() < 0 && wantsFloat(Type))
      return iql::Value::real(double(*C.getAsInteger()));
    return iql::Value::integer(*C.getAsInteger());
  case Cell::Kind::Double:
    return iql::Value::real(*C.getAsNumber());
  case Cell::Kind::List: {
    const iql::ColumnType *Element = nullptr;
    if (Type && Type->K == iql::ColumnType::Kind::List && !Type->Element.empty())
      Element = &Type->Element.front();
    std::vector<iql::Value> Elements;
    for (const Cell &E : *C.getAsList()) {
      std::optional<iql::Value> V = cellValue(E, Element);
      if (!V)
        return std::nullopt;
      Elements.push_back(std::move(*V));
    }
    return iql::Value::list(std::move(Elements));
  }
  case Cell::Kind::Object:
    return std::nullopt;
  }
  return std::nullopt;
}
} // namespace

std::optional<std::string> exec::cellLiteral(const Cell &C, const iql::ColumnType *Type) {
  std::optional<iql::Value> V = cellValue(C, Type);
  if (!V)
    return std::nullopt;
  return V->literal();
}

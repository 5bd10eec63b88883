//===- Type.cpp - Semantic column types -----------------------------------===//
#include "strata/Sema/Type.h"
#include <cassert>

using namespace strata;

struct Type::Payload {
  std::vector<Type> Element; // List: exactly one
  std::vector<RecordField> Fields;
};

Type Type::vectorTy(uint32_t Dim) {
  Type T(Kind::Vector);
  T.Dim = Dim;
  return T;
}

Type Type::listTy(Type Element) {
  Type T(Kind::List);
  auto P = std::make_shared<Payload>();
  P->Element.push_back(std::move(Element));
  T.Data = std::move(P);
  return T;
}

Type Type::recordTy(std::vector<RecordField> Fields) {
  Type T(Kind::Record);
  auto P = std::make_shared<Payload>();
  P->Fields = std::move(Fields);
  T.Data = std::move(P);
  return T;
}

const Type &Type::element() const {
  assert(TheKind == Kind::List && Data && "element() of a non-list");
  return Data->Element.front();
}

const std::vector<RecordField> &Type::fields() const {
  static const std::vector<RecordField> None;
  return TheKind == Kind::Record && Data ? Data->Fields : None;
}

void Type::print(llvm::raw_ostream &OS) const {
  switch (TheKind) {
  case Kind::Int:
    OS << "int";
    return;
  case Kind::Float:
    OS << "float";
    return;
  case Kind::String:
    OS << "string";
    return;
  case Kind::Bool:
    OS << "bool";
    return;
  case Kind::Vector:
    OS << "vector";
    if (Dim)
      OS << '(' << Dim << ')';
    return;
  case Kind::List:
    OS << "list[";
    element().print(OS);
    OS << ']';
    return;
  case Kind::Record: {
    OS << '{';
    bool First = true;
    for (const RecordField &F : fields()) {
      OS << (First ? "" : ", ") << F.Name << ": ";
      F.Ty.print(OS);
      First = false;
    }
    OS << '}';
    return;
  }
  }
}

std::string Type::str() const {
  std::string S;
  llvm::raw_string_ostream OS(S);
  print(OS);
  return OS.str();
}

bool strata::operator==(const Type &A, const Type &B) {
  if (A.TheKind != B.TheKind || A.Dim != B.Dim)
    return false;
  if (A.TheKind == Type::Kind::List)
    return A.element() == B.element();
  if (A.TheKind != Type::Kind::Record)
    return true;
  const auto &FA = A.fields(), &FB = B.fields();
  if (FA.size() != FB.size())
    return false;
  for (size_t I = 0; I < FA.size(); ++I)
    if (FA[I].Name != FB[I].Name || FA[I].Ty != FB[I].Ty)
      return false;
  return true;
}

bool Type::comparable(const Type &A, const Type &B) {
  if (A.isNumeric() && B.isNumeric())
    return true;
  // Vectors of different fixed dimensions are still both vectors; the server
  // decides at run time, so stay silent.
  if (A.TheKind == Kind::Vector && B.TheKind == Kind::Vector)
    return true;
  if (A.TheKind == Kind::List && B.TheKind == Kind::List)
    return true;
  // Records are `Any` to the server.
  if (A.TheKind == Kind::Record || B.TheKind == Kind::Record)
    return true;
  return A.TheKind == B.TheKind;
}

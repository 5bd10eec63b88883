//===- IqlTypes.h - The IQL tree and values, as the engine names them -*- C++ -*-===//
//
// The engine executes the typed IQL tree of lib/IQL and stores its values;
// these declarations let the engine's code name them without qualification.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_IQLTYPES_H
#define STRATA_LIB_ENGINE_IQLTYPES_H

#include "strata/IQL/Syntax.h"
#include "strata/IQL/TupleSet.h"
#include "strata/IQL/Value.h"

namespace strata::engine {
using iql::Atom;
using iql::Clause;
using iql::Column;
using iql::ColumnType;
using iql::compareValues;
using iql::Expr;
using iql::IndexSpec;
using iql::Literal;
using iql::Schema;
using iql::sortedTuples;
using iql::Statement;
using iql::Tuple;
using iql::TupleHash;
using iql::tupleLess;
using iql::TupleSet;
using iql::Value;
} // namespace strata::engine

#endif

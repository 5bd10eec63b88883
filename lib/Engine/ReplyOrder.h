//===- ReplyOrder.h - The order and window a query asks for -----*- C++ -*-===//
//
// A query's reply is a set of rows, printed sorted, unless the query says
// otherwise: a variable written `S:desc` or `S:asc` in a body atom sorts
// the rows by it (several such variables sort left to right), and a body
// atom `limit(N)` or `limit(N, O)` keeps N rows after skipping O. Both
// are the server's query syntax (transcripts 21_query_features/30-38).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_REPLYORDER_H
#define STRATA_LIB_ENGINE_REPLYORDER_H

#include "IqlTypes.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace strata::engine {

struct ReplyOrder {
  struct Key {
    std::string Variable;
    bool Descending = false;
  };
  std::vector<Key> Keys;       // in the order the query writes them
  std::optional<size_t> Limit; // rows kept, none = all
  size_t Offset = 0;           // rows skipped first
};

/// The order and window Body asks for; removes its `limit` atoms, which
/// read no relation. Fails on a `limit` whose arguments are not one or
/// two non-negative integers.
llvm::Expected<ReplyOrder> takeReplyOrder(std::vector<Literal> &Body);

/// Sorts Rows (sorted and distinct already) by Order's keys, stably, and
/// cuts its window. ColumnVars names the variable of each column ("" for
/// a column that is none); a key naming no column is ignored.
void applyReplyOrder(const ReplyOrder &Order, const std::vector<std::string> &ColumnVars,
                     std::vector<Tuple> &Rows);

} // namespace strata::engine

#endif

//===- SchemaDiff.h - The schema before and after, per relation -*- C++ -*-===//
#ifndef STRATA_LIB_REVIEW_SCHEMADIFF_H
#define STRATA_LIB_REVIEW_SCHEMADIFF_H

#include "strata/Review/Review.h"

namespace strata::review {

/// Every relation and derived relation that M changes between Before and
/// After (added, removed or with other lines), in name order: relations
/// first, then derived relations.
std::vector<ObjectDiff> diffSchema(const SchemaState &Before, const SchemaState &After,
                                   const Migration &M);

} // namespace strata::review

#endif

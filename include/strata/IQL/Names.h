//===- Names.h - The server's rule for names --------------------*- C++ -*-===//
//
// The storage engine's naming rule (its naming.rs): a relation, rule or
// index name is `[a-z][a-z0-9_]*`, at most MaxNameBytes; names starting
// with `__` are the server's own. Every part of Strata that checks a name
// before it reaches the server asks here.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_IQL_NAMES_H
#define STRATA_IQL_NAMES_H

#include "llvm/ADT/StringRef.h"
#include <cstddef>
#include <string>

namespace strata::iql {

constexpr size_t MaxNameBytes = 256;

/// Why a name breaks the rule (the server's wording), or empty when it
/// is a legal name.
enum class NameProblem { None, Empty, TooLong, InternalPrefix, BadStart, BadCharacter };
NameProblem checkName(llvm::StringRef Name);

/// The server's message for a name with Problem (not None).
std::string nameProblemMessage(llvm::StringRef Name, NameProblem Problem);

/// `[a-z0-9_]`: a character a name may hold.
bool isNameChar(char C);

/// A word the server's parser reads as a literal, type or keyword
/// (ReservedWords.def) or an aggregate's name.
bool isReservedWord(llvm::StringRef Name);

/// Names Strata makes on a target for itself, in every form:
///   `strata_*`              its relations: the ledger `strata_migrations`,
///                           the lock `strata_lock`, verify's probes;
///   `*_strata_stage`        the relation a migration stages a relation's
///                           facts in while it reshapes it;
///   `*_strata_tmp`, `*_strata_tmpN`  the temporary name a swap of two
///                           names goes through (`a -> a_strata_tmp -> b`).
/// A user relation, rule or index with such a name could be overwritten or
/// erased by Strata (a rollback clears its stage), so Strata refuses them.
enum class OwnedForm { None, StrataPrefix, Stage, Temporary };
OwnedForm ownedNameForm(llvm::StringRef Name);

/// ownedNameForm(Name) != OwnedForm::None.
bool isOwnedName(llvm::StringRef Name);

/// Which rule an owned name breaks, for messages ("names starting with
/// `strata_` are Strata's own: ..."); empty for OwnedForm::None.
std::string ownedNameRule(OwnedForm Form);

/// Knowledge-graph names travel inside meta commands (`.kg use NAME`, a
/// line split at spaces) and into state files, so Strata accepts only a
/// single plain word: 1 to MaxNameBytes of `[A-Za-z0-9_-]`, not starting
/// with `-`. Returns why Name is refused, or empty when it is accepted.
std::string graphNameProblem(llvm::StringRef Name);

} // namespace strata::iql

#endif

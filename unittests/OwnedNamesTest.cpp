//===- OwnedNamesTest.cpp - The names Strata keeps for itself -------------===//
//
// The rule in strata/IQL/Names.h must cover every name the other libraries
// make on a target, or a user relation could be taken for one of them.
//
//===----------------------------------------------------------------------===//
#include "strata/CodeGen/Lowering.h"
#include "strata/Exec/Ledger.h"
#include "strata/IQL/Names.h"
#include "strata/Migrate/Operation.h"
#include "strata/Support/DiagnosticRenderer.h"
#include <gtest/gtest.h>

using namespace strata;
using iql::OwnedForm;
using iql::ownedNameForm;

TEST(OwnedNames, EveryFormStrataMakes) {
  EXPECT_EQ(ownedNameForm(exec::LedgerRelation), OwnedForm::StrataPrefix);
  EXPECT_EQ(ownedNameForm("strata_lock"), OwnedForm::StrataPrefix);
  EXPECT_EQ(ownedNameForm(stagingName("employee")), OwnedForm::Stage);
  EXPECT_EQ(ownedNameForm("employee_strata_tmp"), OwnedForm::Temporary);
  EXPECT_EQ(ownedNameForm("employee_strata_tmp12"), OwnedForm::Temporary);
  EXPECT_TRUE(iql::isOwnedName("strata_anything"));
}

TEST(OwnedNames, OrdinaryNamesAreFree) {
  for (const char *Name : {"strata", "stratum_x", "employee", "my_strata", "a_strata_tmpx",
                           "a_strata_tmp_b", "a_strata_stages", "x_strata_stage_y"})
    EXPECT_EQ(ownedNameForm(Name), OwnedForm::None) << Name;
}

TEST(OwnedNames, EachFormHasARule) {
  EXPECT_EQ(iql::ownedNameRule(OwnedForm::None), "");
  for (OwnedForm F : {OwnedForm::StrataPrefix, OwnedForm::Stage, OwnedForm::Temporary})
    EXPECT_NE(iql::ownedNameRule(F), "");
}

// A history can no longer hold a staging name (OwnedName, golden test
// Migrate/owned-names.test), so lowering's own guard against a taken stage
// is tested on a state built without the checks.
TEST(OwnedNames, LoweringStillGuardsATakenStage) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  ColumnList Cols{{ColumnDef{"id", Type::intTy(), {}}}};
  SchemaState Before;
  for (const char *Name : {"employee", "employee_strata_stage"})
    ASSERT_TRUE(CreateRelation(Name, Cols).apply(Before, Diags));
  RenameColumn Op("employee", "id", "key");
  SchemaState After = Before;
  ASSERT_TRUE(Op.apply(After, Diags));
  EXPECT_FALSE(lowerOperation(Op, Before, After, Diags));
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  renderDiagnostics(Diags, OS, RenderOptions());
  EXPECT_NE(OS.str().find("`employee_strata_stage`, which is already a relation of the schema; "
                          "rename it [CodeGenStageTaken]"),
            std::string::npos)
      << Out;
}

//===- MoveBatchesTest.cpp - A move cut into bounded requests -------------===//
#include "../lib/Exec/MoveBatches.h"
#include "strata/Engine/Engine.h"
#include "strata/Exec/ReplyCheck.h"
#include <gtest/gtest.h>

using namespace strata;
using namespace strata::exec;

namespace {
IqlStatement move(std::string Text, StepPurpose Purpose = StepPurpose::MoveToStage) {
  IqlStatement St = rawIqlStatement(std::move(Text));
  St.Purpose = Purpose;
  return St;
}

Reply rowsOf(std::vector<std::vector<Cell>> Rows) {
  Reply R;
  R.Columns = {"a", "b"};
  R.Rows = std::move(Rows);
  return R;
}

std::vector<std::vector<Cell>> counted(size_t N) {
  std::vector<std::vector<Cell>> Rows;
  for (size_t I = 0; I < N; ++I)
    Rows.push_back({Cell(int64_t(I)), Cell("v" + std::to_string(I))});
  return Rows;
}
} // namespace

TEST(MoveBatches, RestrictsTheMoveToTheBatch) {
  std::optional<BatchableMove> M =
      batchableMove(move("-n(C0, C1), +n_strata_stage(C0, 0, C1) <- n(C0, C1)"));
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Source, "n");
  EXPECT_EQ(M->Arguments, "C0, C1");
  EXPECT_EQ(M->BatchRelation, "strata_batch_2");
  EXPECT_EQ(M->sourceQuery(), "?n(C0, C1)");
  EXPECT_EQ(M->Restricted,
            "-n(C0, C1), +n_strata_stage(C0, 0, C1) <- strata_batch_2(C0, C1), n(C0, C1)");
  // Only the staging moves of a column change are cut; an author's update
  // runs as written.
  EXPECT_FALSE(batchableMove(move("-n(C0, C1), +m(C0, C1) <- n(C0, C1)", StepPurpose::Raw)));
  EXPECT_FALSE(batchableMove(move("+n_strata_stage(a: int)", StepPurpose::DeclareStage)));
}

TEST(MoveBatches, BoundedByFacts) {
  BatchableMove M = *batchableMove(move("-n(C0, C1), +s(C1, C0) <- n(C0, C1)"));
  std::optional<std::vector<MoveBatch>> B = cutIntoBatches(M, rowsOf(counted(10)), 4, 1 << 20);
  ASSERT_TRUE(B);
  ASSERT_EQ(B->size(), 3u);
  EXPECT_EQ((*B)[0].Facts, 4u);
  EXPECT_EQ((*B)[1].Facts, 4u);
  EXPECT_EQ((*B)[2].Facts, 2u);
  EXPECT_EQ((*B)[2].Program, "-strata_batch_2(C0, C1) <- strata_batch_2(C0, C1)\n"
                             "+strata_batch_2[(8, \"v8\"), (9, \"v9\")]\n"
                             "-n(C0, C1), +s(C1, C0) <- strata_batch_2(C0, C1), n(C0, C1)\n"
                             ".rel drop strata_batch_2");
  // Nothing to move: no batch.
  EXPECT_TRUE(cutIntoBatches(M, rowsOf({}), 4, 1 << 20)->empty());
}

TEST(MoveBatches, BoundedByBytesWithEscapes) {
  BatchableMove M = *batchableMove(move("-n(C0, C1), +s(C1, C0) <- n(C0, C1)"));
  // Quotes and backslashes take two bytes in the IQL literal and two more
  // as JSON: each of these facts is about 1.5 KB on the wire.
  std::vector<std::vector<Cell>> Rows;
  for (int I = 0; I < 40; ++I)
    Rows.push_back({Cell(int64_t(I)), Cell(std::string(250, '"') + std::string(10, 'x'))});
  size_t Max = 4096 + 8000;
  std::optional<std::vector<MoveBatch>> B = cutIntoBatches(M, rowsOf(Rows), 1000, Max);
  ASSERT_TRUE(B);
  EXPECT_GT(B->size(), 5u);
  size_t Facts = 0;
  for (const MoveBatch &Batch : *B) {
    EXPECT_LE(jsonStringBytes(Batch.Program) + 4096, Max);
    Facts += Batch.Facts;
  }
  EXPECT_EQ(Facts, 40u);
  EXPECT_EQ(jsonStringBytes("a\"b\\c"), 7u);
  // One fact over the limit, or a value with no literal: the move runs whole.
  EXPECT_FALSE(cutIntoBatches(M, rowsOf({{Cell(1), Cell(std::string(9000, 'y'))}}), 1000, Max));
  EXPECT_FALSE(
      cutIntoBatches(M, rowsOf({{Cell(1), Cell(Cell::ObjectT{{"f", Cell(1)}})}}), 1000, Max));
}

// The batches, run on an engine, move exactly the facts the whole
// statement moves, whatever their values: strings with quotes, escapes and
// non-ASCII text, negative and whole floats, booleans.
TEST(MoveBatches, BatchesMoveWhatTheWholeMoveMoves) {
  const char *Setup = "+n(a: int, b: string, c: float, d: bool)\n"
                      "+n_strata_stage(a: int, b: string, c: float, d: bool, e: int)\n"
                      "+n[(1, \"plain\", 1.5, true), (-2, \"q\\\"uote\", -3.0, false), "
                      "(3, \"back\\\\slash\", 0.0, true), (4, \"ünï\", 2.0, false), "
                      "(5, \"\", -0.25, true), (6, \"new\\nline\", 1e20, false), "
                      "(7, \"x\", 7.0, true)]";
  const char *Move = "-n(C0, C1, C2, C3), +n_strata_stage(C0, C1, C2, C3, 1) <- n(C0, C1, C2, C3)";
  engine::Engine Whole, Batched;
  engine::Session W(Whole), B(Batched);
  ASSERT_FALSE(replyFailure(W.execute(Setup)));
  ASSERT_FALSE(replyFailure(B.execute(Setup)));
  ASSERT_FALSE(replyFailure(W.execute(Move)));
  BatchableMove M = *batchableMove(move(Move));
  Reply Facts = B.execute(M.sourceQuery());
  ASSERT_EQ(Facts.Rows.size(), 7u);
  std::optional<std::vector<MoveBatch>> Batches = cutIntoBatches(M, Facts, 3, 1 << 20);
  ASSERT_TRUE(Batches);
  ASSERT_EQ(Batches->size(), 3u);
  for (const MoveBatch &Batch : *Batches) {
    Reply R = B.execute(Batch.Program);
    ASSERT_FALSE(replyFailure(R)) << Batch.Program;
  }
  // Running a batch again (a request repeated after a lost reply) moves
  // nothing twice.
  ASSERT_FALSE(replyFailure(B.execute(Batches->front().Program)));
  const char *Stage = "?n_strata_stage(A, B, C, D, E)";
  EXPECT_EQ(B.execute(Stage).Rows, W.execute(Stage).Rows);
  EXPECT_EQ(B.execute(Stage).Rows.size(), 7u);
  EXPECT_TRUE(B.execute("?n(A, B, C, D)").Rows.empty());
  EXPECT_TRUE(B.execute("?strata_batch_4(A, B, C, D)").isMessage() ||
              B.execute("?strata_batch_4(A, B, C, D)").Rows.empty());
}

//===- NotificationsTest.cpp - strata serve's pushes and `.kg acl` --------===//
#include "../lib/Exec/Notifications.h"
#include "../lib/Exec/KgAcl.h"
#include "../lib/Exec/Outbox.h"
#include "strata/Engine/Engine.h"
#include <gtest/gtest.h>

using namespace strata;
using namespace strata::exec;

namespace {
std::string describe(const std::vector<Change> &Changes) {
  std::string Out;
  for (const Change &C : Changes)
    Out += C.Type + " " + C.Graph + " " + C.Operation + " " + C.Name +
           (C.Count ? " " + std::to_string(C.Count) : "") + "\n";
  return Out;
}

/// The changes one program makes, run on E's graph `default`.
std::vector<Change> changesOf(engine::Engine &E, llvm::StringRef Program) {
  engine::Census Before = E.census();
  engine::Session S(E);
  S.execute(Program);
  return changesBetween(Before, E.census());
}
} // namespace

TEST(Notifications, ChangesOfEachKind) {
  engine::Engine E;
  EXPECT_EQ(describe(changesOf(E, "+edge[(1, 2), (2, 3)]")),
            "persistent_update default insert edge 2\n");
  EXPECT_EQ(describe(changesOf(E, "-edge(1, 2)")), "persistent_update default delete edge 1\n");
  EXPECT_EQ(describe(changesOf(E, "+person(name: string)")),
            "schema_change default created person\n");
  EXPECT_EQ(describe(changesOf(E, "+path(X, Y) <- edge(X, Y)")),
            "rule_change default registered path\n");
  EXPECT_EQ(describe(changesOf(E, "+path(X, Z) <- path(X, Y), edge(Y, Z)")),
            "rule_change default registered path\n");
  EXPECT_EQ(describe(changesOf(E, ".rule remove path 2")), "rule_change default removed path\n");
  EXPECT_EQ(describe(changesOf(E, ".rule drop path")), "rule_change default dropped path\n");
  EXPECT_EQ(describe(changesOf(E, ".rel drop person")), "schema_change default dropped person\n");
  EXPECT_EQ(describe(changesOf(E, ".kg create other\n+t(1)")),
            "kg_change other created \npersistent_update other insert t 1\n");
  EXPECT_EQ(describe(changesOf(E, ".kg drop other")), "kg_change other dropped \n");
  // Queries and refused statements change nothing.
  EXPECT_EQ(describe(changesOf(E, "?edge(X, Y)")), "");
  EXPECT_EQ(describe(changesOf(E, "?edge(X")), "");
}

TEST(Notifications, NumberedAndReplayed) {
  NotificationLog Log(/*Capacity=*/3);
  std::vector<Change> Two = {{"persistent_update", "g", "insert", "r", 2},
                             {"kg_change", "h", "created", "", 0}};
  std::vector<Notification> Ns = Log.publish(Two, "7", 1000);
  ASSERT_EQ(Ns.size(), 2u);
  EXPECT_EQ(Ns[0].Seq, 1u);
  EXPECT_EQ(Ns[1].Seq, 2u);
  EXPECT_EQ(Ns[0].Frame, "{\"count\":2,\"knowledge_graph\":\"g\",\"operation\":\"insert\","
                         "\"relation\":\"r\",\"seq\":1,\"session_id\":\"7\",\"timestamp_ms\":1000,"
                         "\"type\":\"persistent_update\"}");
  EXPECT_TRUE(visibleTo(Ns[0], "g"));
  EXPECT_FALSE(visibleTo(Ns[0], "h"));
  EXPECT_TRUE(visibleTo(Ns[1], "anything")); // graph events reach everyone

  NotificationLog::Replay R = Log.after(1);
  EXPECT_FALSE(R.Gap);
  ASSERT_EQ(R.Missed.size(), 1u);
  EXPECT_EQ(R.Missed[0].Seq, 2u);
  EXPECT_TRUE(Log.after(2).Missed.empty());
  EXPECT_FALSE(Log.after(2).Gap);
  EXPECT_TRUE(Log.after(3).Gap); // never given out: another run's number

  Log.publish(Two, "7", 2000); // seq 3 and 4; seq 1 is no longer kept
  EXPECT_TRUE(Log.after(0).Gap);
  EXPECT_FALSE(Log.after(1).Gap);
  EXPECT_EQ(Log.after(1).Missed.size(), 3u);
}

TEST(Notifications, OutboxFiltersAndBoundsWhatWaits) {
  Outbox Box(/*Capacity=*/2);
  ASSERT_GE(Box.wakeFd(), 0);
  Box.setGraph("g");
  NotificationLog Log;
  std::vector<Notification> Ns = Log.publish(
      {{"persistent_update", "g", "insert", "r", 1}, {"persistent_update", "h", "insert", "r", 1}},
      "", 0);
  Box.offer(Ns[0]);
  Box.offer(Ns[1]); // another graph: not queued
  std::vector<std::string> Taken = Box.take();
  ASSERT_EQ(Taken.size(), 1u);
  EXPECT_EQ(Taken[0], Ns[0].Frame);
  EXPECT_TRUE(Box.take().empty());

  // A connection that falls behind gets one notice instead of the backlog.
  for (int I = 0; I < 5; ++I)
    Box.offer(Ns[0]);
  Taken = Box.take();
  ASSERT_EQ(Taken.size(), 1u);
  EXPECT_NE(Taken[0].find("notifications_missed"), std::string::npos);
  Box.offer(Ns[0]); // taken: pushes are queued again
  EXPECT_EQ(Box.take().size(), 1u);
}

TEST(Notifications, KgAclCommands) {
  engine::Engine E;
  KgAcl Acl;
  auto Run = [&](llvm::StringRef Program) -> std::string {
    llvm::Optional<Reply> R = Acl.run(Program, "default", E);
    if (!R)
      return "(engine)";
    std::string Out;
    for (const auto &Row : R->Rows)
      for (const auto &Cell : Row)
        Out += (Out.empty() ? "" : " ") + Cell.getAsString()->str();
    return Out;
  };
  EXPECT_EQ(Run("?edge(X, Y)"), "(engine)");
  EXPECT_EQ(Run(".kg list"), "(engine)");
  EXPECT_EQ(Run(".kg acl list\n.kg list"), "(engine)");
  EXPECT_EQ(Run(".kg acl list"), "");
  EXPECT_EQ(Run(".kg acl grant default bob writer"),
            "Granted writer access on knowledge graph 'default' to user 'bob'.");
  EXPECT_EQ(Run(".kg acl grant default bob admin"),
            "Granted admin access on knowledge graph 'default' to user 'bob'.");
  EXPECT_EQ(Run(".kg acl list default"), "bob admin");
  EXPECT_EQ(Run(".kg acl grant default bob root"),
            "Invalid role 'root': expected reader, writer or admin");
  EXPECT_EQ(Run(".kg acl grant nowhere bob reader"), "Knowledge graph 'nowhere' not found");
  EXPECT_EQ(Run(".kg acl revoke default bob"),
            "Revoked the access of user 'bob' to knowledge graph 'default'.");
  EXPECT_EQ(Run(".kg acl revoke default bob"),
            "Access entry of user 'bob' on knowledge graph 'default' not found");
  EXPECT_EQ(Run(".kg acl drop default"),
            "Usage: .kg acl list [KG] | .kg acl grant KG USER ROLE | .kg acl revoke KG USER");

  engine::Session S(E);
  S.execute(".kg create other");
  EXPECT_EQ(Run(".kg acl grant other ann reader"),
            "Granted reader access on knowledge graph 'other' to user 'ann'.");
  S.execute(".kg use default\n.kg drop other");
  Acl.prune(E); // the server prunes after a request that dropped a graph
  S.execute(".kg create other");
  EXPECT_EQ(Run(".kg acl list other"), "");
}

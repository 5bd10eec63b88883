// The rendered tag [FixtureUnitComment] is only mentioned here.
TEST(Fixture, Tag) {
  EXPECT_EQ(render(), "t.strata:1:1: error: x [FixtureUnitString]\n"); // "[" is ']'
  /* [FixtureUnitComment] */
}
TEST(Fixture, RawAndSeparators) {
  Limits.Steps = 2'000'000; // "[FixtureUnitComment]" stays a comment
  EXPECT_EQ(json(), R"({"rows":[[1]], "quote": "x"})"); // [FixtureUnitComment]
  EXPECT_EQ(other(), R"x(a ")" [FixtureRawString])x");
}

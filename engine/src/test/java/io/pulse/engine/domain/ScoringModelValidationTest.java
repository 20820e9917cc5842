package io.pulse.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScoringModelValidationTest {

  private static final List<Band> BANDS = TestEvents.LOW_MEDIUM_HIGH;
  private static final List<ScoringRule> RULES = List.of(ScoringRule.of("email_open", null, 3));

  private static ScoringModel withBands(List<Band> bands) {
    return new ScoringModel("m", null, 1, RULES, 30.0, Scale.DEFAULT, bands, 50);
  }

  private static ScoringModel withRules(List<ScoringRule> rules) {
    return new ScoringModel("m", null, 1, rules, 30.0, Scale.DEFAULT, BANDS, 50);
  }

  private static ScoringModel withRule(Condition condition) {
    return withRules(
        List.of(
            ScoringRule.of("email_open", null, 3),
            new ScoringRule("purchase", null, 10, List.of(condition), null)));
  }

  private static ScoringModel withHalfLife(Double halfLifeDays) {
    return new ScoringModel("m", null, 1, RULES, halfLifeDays, Scale.DEFAULT, BANDS, 50);
  }

  private static ScoringModel withId(String id) {
    return new ScoringModel(id, null, 1, RULES, 30.0, Scale.DEFAULT, BANDS, 50);
  }

  /** The single problem of a model that breaks exactly one rule. */
  private static String onlyProblem(ScoringModel model) {
    List<String> problems = model.problems(InputLimits.DEFAULTS);
    assertEquals(1, problems.size(), "expected one problem, got " + problems);
    return problems.get(0);
  }

  private static void assertMentions(String problem, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(problem.contains(fragment), "'" + problem + "' does not mention " + fragment);
    }
  }

  @Test
  void theDefaultModelIsValid() {
    // given
    ScoringModel model = ScoringModel.defaultEngagement();

    // then
    assertEquals(List.of(), model.problems(InputLimits.DEFAULTS));
    assertEquals("engagement", model.id());
    assertEquals(Scale.DEFAULT, model.scale());
    assertEquals(30.0, model.halfLifeDays());
    assertEquals(BANDS, model.bands());
  }

  @Test
  void aWellFormedModelWithConditionsAndCapsHasNoProblems() {
    // given
    ScoringModel model =
        withRules(
            List.of(
                ScoringRule.of("email_open", Channel.EMAIL, 3),
                new ScoringRule(
                    "purchase",
                    null,
                    10,
                    List.of(
                        new Condition("properties.amount", ConditionOperator.GTE, 50),
                        new Condition("properties.cart.coupon", ConditionOperator.EXISTS, false),
                        new Condition("channel", ConditionOperator.IN, List.of("web", "app")),
                        new Condition("properties.tier", ConditionOperator.NE, "staff")),
                    3),
                ScoringRule.of("unsubscribe", null, -20)));

    // then
    assertEquals(List.of(), model.problems(InputLimits.DEFAULTS));
  }

  @Test
  void aGapBetweenBandsNamesBothBandsAndWhereTheGapIs() {
    // given
    ScoringModel model =
        withBands(
            List.of(new Band("low", 1, 4), new Band("medium", 5, 7), new Band("high", 7, 10)));

    // then
    assertMentions(onlyProblem(model), "gap", "'low'", "'medium'", "4.0", "5.0");
  }

  @Test
  void overlappingBandsAreAProblem() {
    // given
    ScoringModel model =
        withBands(
            List.of(new Band("low", 1, 4), new Band("medium", 3.5, 7), new Band("high", 7, 10)));

    // then
    assertMentions(onlyProblem(model), "overlap", "'low'", "'medium'", "3.5", "4.0");
  }

  @Test
  void bandsMustStartAtTheScaleMinimum() {
    // given
    ScoringModel model =
        withBands(
            List.of(new Band("low", 2, 4), new Band("medium", 4, 7), new Band("high", 7, 10)));

    // then
    assertMentions(onlyProblem(model), "scale.min", "'low'", "2.0");
  }

  @Test
  void bandsMustEndAtTheScaleMaximum() {
    // given
    ScoringModel model =
        withBands(List.of(new Band("low", 1, 4), new Band("medium", 4, 7), new Band("high", 7, 9)));

    // then
    assertMentions(onlyProblem(model), "scale.max", "'high'", "9.0");
  }

  @Test
  void bandNamesMustBeUnique() {
    // given
    ScoringModel model =
        withBands(List.of(new Band("low", 1, 4), new Band("high", 4, 7), new Band("high", 7, 10)));

    // then
    assertMentions(onlyProblem(model), "bands[2]", "'high'", "more than one");
  }

  @Test
  void inactiveIsAReservedBandName() {
    // given
    ScoringModel model =
        withBands(
            List.of(new Band("inactive", 1, 4), new Band("medium", 4, 7), new Band("high", 7, 10)));

    // then
    assertMentions(onlyProblem(model), "bands[0]", "inactive", "reserved");
  }

  @Test
  void aBandMustEndAfterItStarts() {
    // given
    ScoringModel model =
        withBands(
            List.of(
                new Band("low", 1, 4),
                new Band("empty", 4, 4),
                new Band("medium", 4, 7),
                new Band("high", 7, 10)));

    // then
    assertMentions(onlyProblem(model), "bands[1]", "'empty'", "from < to");
  }

  @Test
  void aModelNeedsAtLeastOneBand() {
    assertMentions(onlyProblem(withBands(List.of())), "bands", "at least one");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1.0, 0.0, -0.0001, Double.NaN, Double.POSITIVE_INFINITY})
  void theHalfLifeMustBeAPositiveNumberOfDays(double halfLifeDays) {
    assertMentions(onlyProblem(withHalfLife(halfLifeDays)), "halfLifeDays");
  }

  @Test
  void noHalfLifeAndAFractionalHalfLifeAreValid() {
    assertEquals(List.of(), withHalfLife(null).problems(InputLimits.DEFAULTS));
    assertEquals(List.of(), withHalfLife(2.0 / 86_400).problems(InputLimits.DEFAULTS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-leading-dash", "_leading", "has space", "dots.inside", "ü-umlaut"})
  void anInvalidIdIsAProblem(String id) {
    assertFalse(ScoringModel.isValidId(id));
    assertMentions(onlyProblem(withId(id)), "id");
  }

  @Test
  void anIdHasAtMostSixtyFourCharacters() {
    assertTrue(ScoringModel.isValidId("a".repeat(64)));
    assertTrue(ScoringModel.isValidId("Engagement_v2-B"));
    assertFalse(ScoringModel.isValidId("a".repeat(65)));
    assertFalse(ScoringModel.isValidId(null));
    assertEquals(List.of(), withId("a".repeat(64)).problems(InputLimits.DEFAULTS));
  }

  @Test
  void aModelNeedsAtLeastOneRule() {
    assertMentions(onlyProblem(withRules(List.of())), "rules", "at least one");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void aDailyCapMustBeAtLeastOne(int dailyCap) {
    // given
    ScoringModel model =
        withRules(
            List.of(
                ScoringRule.of("email_open", null, 3),
                new ScoringRule("purchase", null, 10, List.of(), dailyCap)));

    // then
    assertMentions(onlyProblem(model), "rules[1]", "dailyCap");
  }

  @Test
  void aRuleNeedsAnEventTypeAndFinitePoints() {
    // given
    ScoringModel model =
        withRules(List.of(ScoringRule.of(" ", null, 3), ScoringRule.of("x", null, Double.NaN)));

    // then
    List<String> problems = model.problems(InputLimits.DEFAULTS);
    assertEquals(2, problems.size(), problems.toString());
    assertMentions(problems.get(0), "rules[0]", "event");
    assertMentions(problems.get(1), "rules[1]", "points");
  }

  @Test
  void inNeedsAnArray() {
    assertMentions(
        onlyProblem(withRule(new Condition("properties.tier", ConditionOperator.IN, "gold"))),
        "rules[1]",
        "'in'",
        "array");
  }

  @Test
  void inNeedsAtLeastOneCandidate() {
    assertMentions(
        onlyProblem(withRule(new Condition("properties.tier", ConditionOperator.IN, List.of()))),
        "'in'");
  }

  @Test
  void existsNeedsABoolean() {
    assertMentions(
        onlyProblem(withRule(new Condition("properties.coupon", ConditionOperator.EXISTS, "yes"))),
        "rules[1]",
        "'exists'",
        "true or false");
    assertMentions(
        onlyProblem(withRule(new Condition("properties.coupon", ConditionOperator.EXISTS, null))),
        "'exists'");
  }

  @Test
  void orderingNeedsANumberOrAString() {
    assertMentions(
        onlyProblem(withRule(new Condition("properties.amount", ConditionOperator.GT, true))),
        "'gt'");
    assertMentions(
        onlyProblem(withRule(new Condition("properties.amount", ConditionOperator.LTE, null))),
        "'lte'");
  }

  @Test
  void eqAndNeNeedAValue() {
    assertMentions(
        onlyProblem(withRule(new Condition("properties.tier", ConditionOperator.EQ, null))),
        "'eq'");
    assertMentions(
        onlyProblem(withRule(new Condition("properties.tier", ConditionOperator.NE, null))),
        "'ne'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"amount", "properties", "properties.", "props.amount", " ", "cart.total"})
  void aConditionPathMustNamePropertiesOrAnEventField(String path) {
    assertMentions(
        onlyProblem(withRule(new Condition(path, ConditionOperator.EQ, 1))), "rules[1]", "path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"properties.amount", "properties.cart.total", "type", "channel"})
  void wellFormedConditionPathsAreAccepted(String path) {
    assertEquals(
        List.of(),
        withRule(new Condition(path, ConditionOperator.EQ, 1)).problems(InputLimits.DEFAULTS));
  }

  @Test
  void saturationPointsMustBePositive() {
    // given
    ScoringModel model = new ScoringModel("m", null, 1, RULES, 30.0, Scale.DEFAULT, BANDS, 0);

    // then
    assertMentions(onlyProblem(model), "saturationPoints");
  }

  @Test
  void theScaleMinimumMustBeBelowItsMaximum() {
    // given
    ScoringModel model = new ScoringModel("m", null, 1, RULES, 30.0, new Scale(10, 1), BANDS, 50);

    // then
    assertMentions(onlyProblem(model), "scale.min", "scale.max");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    // given
    ScoringModel model =
        new ScoringModel(
            "bad id",
            null,
            1,
            List.of(new ScoringRule("purchase", null, 10, List.of(), 0)),
            -2.0,
            Scale.DEFAULT,
            List.of(new Band("low", 1, 4), new Band("high", 5, 10)),
            50);

    // then
    List<String> problems = model.problems(InputLimits.DEFAULTS);
    assertEquals(4, problems.size(), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("id")));
    assertTrue(problems.stream().anyMatch(p -> p.contains("dailyCap")));
    assertTrue(problems.stream().anyMatch(p -> p.contains("halfLifeDays")));
    assertTrue(problems.stream().anyMatch(p -> p.contains("gap")));
  }

  @Test
  void aNewVersionOfTheSameDefinitionIsTheSameDefinition() {
    // given
    ScoringModel model = ScoringModel.defaultEngagement();

    // then
    assertTrue(model.sameDefinitionAs(model.withVersion(7)));
    assertEquals(7, model.withVersion(7).version());
    assertFalse(model.sameDefinitionAs(withHalfLife(30.0)));
  }

  @Test
  void aModelMayHaveAtMostTheLargestNumberOfRules() {
    // given
    List<ScoringRule> most =
        java.util.Collections.nCopies(1000, ScoringRule.of("page_view", null, 1));
    List<ScoringRule> tooMany =
        java.util.Collections.nCopies(10_000, ScoringRule.of("page_view", null, 1e308));

    // then: the count is one problem, not one per rule
    assertEquals(List.of(), withRules(most).problems(InputLimits.DEFAULTS));
    assertEquals(
        List.of("rules may contain at most 1000, had 10000"),
        withRules(tooMany).problems(InputLimits.DEFAULTS));
  }

  @ParameterizedTest
  @ValueSource(doubles = {1e6, -1e6, 0, 0.5})
  void pointsWithinTheLargestRulePointsAreFine(double points) {
    assertEquals(
        List.of(),
        withRules(List.of(ScoringRule.of("page_view", null, points)))
            .problems(InputLimits.DEFAULTS));
  }

  @ParameterizedTest
  @ValueSource(doubles = {1e6 + 1, -1e6 - 1, 1e308, Double.NaN, Double.POSITIVE_INFINITY})
  void pointsBeyondTheLargestRulePointsAreAProblem(double points) {
    assertEquals(
        "rules[0].points must be a number from -1000000 to 1000000",
        onlyProblem(withRules(List.of(ScoringRule.of("page_view", null, points)))));
  }

  @Test
  void theRuleBoundsFollowTheLimits() {
    InputLimits small =
        new InputLimits(1e9, 10, 2, java.time.Duration.ofDays(30), java.time.Duration.ofMinutes(5));
    ScoringModel model =
        withRules(
            List.of(ScoringRule.of("page_view", null, 11), ScoringRule.of("email_open", null, 10)));
    assertEquals(List.of("rules[0].points must be a number from -10 to 10"), model.problems(small));
    assertEquals(
        List.of("rules may contain at most 2, had 3"),
        withRules(java.util.Collections.nCopies(3, ScoringRule.of("page_view", null, 1)))
            .problems(small));
  }

  @Test
  void aScaleWhoseSpanIsNotFiniteIsAProblem() {
    ScoringModel model =
        new ScoringModel(
            "m",
            null,
            1,
            RULES,
            30.0,
            new Scale(-1e308, 1e308),
            List.of(new Band("all", -1e308, 1e308)),
            50);
    assertMentions(onlyProblem(model), "scale.min must be below scale.max");
  }

  @Test
  void textThatIsNotUnicodeIsAProblemNamingTheField() {
    ScoringModel model =
        new ScoringModel(
            "m",
            "name\ud800",
            1,
            List.of(
                ScoringRule.of("open\udc00", null, 1),
                new ScoringRule(
                    "purchase",
                    null,
                    1,
                    List.of(new Condition("properties.sku", ConditionOperator.EQ, "a\ud800")),
                    null)),
            30.0,
            Scale.DEFAULT,
            BANDS,
            50);
    assertEquals(
        List.of(
            "name is not valid Unicode text (invalid UTF-8 or an unpaired surrogate)",
            "rules[0].event is not valid Unicode text (invalid UTF-8 or an unpaired surrogate)",
            "rules[1].where.properties.sku is not valid Unicode text (invalid UTF-8 or an"
                + " unpaired surrogate)"),
        model.problems(InputLimits.DEFAULTS));
  }
}

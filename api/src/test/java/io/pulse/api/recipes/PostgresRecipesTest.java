package io.pulse.api.recipes;

import io.pulse.persistence.DatabaseKind;

/**
 * The recipes of docs/recipes.md on PostgreSQL (skipped where none is reachable, unless required).
 */
class PostgresRecipesTest extends RecipesContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.POSTGRES;
  }
}

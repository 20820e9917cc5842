package io.pulse.api.recipes;

import io.pulse.persistence.DatabaseKind;

/** The recipes of docs/recipes.md on the embedded H2 database. */
class H2RecipesTest extends RecipesContract {
  @Override
  DatabaseKind kind() {
    return DatabaseKind.H2;
  }
}

"""PostgreSQL only: the inbox's search looks a term of any length up in a GIN index over the
distinct characters and character pairs of each message's upper-cased text, then checks the
term's exact position (filters.ContainsTerm). A Chinese keyword is mostly one or two
characters (供暖, 医保), which a trigram index (pg_trgm) cannot look up. SQLite has
neither; its search reads the rows."""

from django.db import migrations

INDEX = "msg_text_grams"

# A loop over the characters: linear in the text's length (substr(text, i, 2) at every
# position is quadratic in UTF-8: 17 ms instead of 0.6 ms for a 1,000-character message).
# Repeated grams are left in: GIN stores each key of a row once and ANALYZE counts an element
# once a row, and removing them (SELECT DISTINCT) made the function 2-3 times slower. The
# index and the search call the same function, so the planner matches the expression.
# COST: about 20-50 µs a short message (measured), thousands of times a comparison's; so the
# planner walks the receipt-time index, computing it on every row, only for a term so common
# that a page of matches comes after a few rows, and otherwise asks the index (at COST 1000
# it walked a million rows for a rare pair: 2.9 s; at 10,000 a search's plan cost passed
# jit_above_cost and compiling took 30 ms). PARALLEL RESTRICTED: worker processes, which the
# high cost made the planner start, took 15-90 ms to launch on a busy machine for a search
# that reads a few index pages.
TEXT_GRAMS = """
CREATE FUNCTION interaction_text_grams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL RESTRICTED COST 5000 AS $$
DECLARE
    chars text[] := string_to_array(upper(t), NULL);
    grams text[] := chars;
    previous text;
    c text;
BEGIN
    FOREACH c IN ARRAY chars LOOP
        IF previous IS NOT NULL THEN
            grams := grams || (previous || c);
        END IF;
        previous := c;
    END LOOP;
    RETURN grams;
END $$
"""

# What a search term asks the index for: its character pairs, or the one character.
TERM_GRAMS = """
CREATE FUNCTION interaction_term_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN char_length(u) < 2 THEN ARRAY[u]
           ELSE ARRAY(SELECT DISTINCT substr(u, i, 2)
                      FROM generate_series(1, char_length(u) - 1) AS i) END
    FROM upper(t) AS u
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TEXT_GRAMS)
    schema_editor.execute(TERM_GRAMS)
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON interaction_message USING gin (interaction_text_grams(text))"
    )
    # The planner's figures for the new expression (how common each character pair is).
    schema_editor.execute("ANALYZE interaction_message")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS interaction_text_grams(text)")
    schema_editor.execute("DROP FUNCTION IF EXISTS interaction_term_grams(text)")


class Migration(migrations.Migration):
    atomic = True
    dependencies = [
        ("interaction", "0003_platform_ids_longer"),
    ]

    operations = [migrations.RunPython(create, drop)]

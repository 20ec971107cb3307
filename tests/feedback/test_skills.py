"""Focus skills suggested from a job description's text, by the extractor in Mockri."""

from mockri.feedback.skills import (
    SUGGESTIONS_MAX,
    clean_label,
    skill_key,
    suggest_skills,
    tokenise,
)

PAYMENTS_JD = """Senior Backend Engineer, Payments (Bengaluru)
We are looking for a backend engineer with 5+ years of experience in Python or Go (golang) to
build our payments platform. You will design distributed systems and REST APIs with PostgreSQL
and Kafka. Python services, Python tooling. Strong system design skills and clear written
communication. Experience with the reconciliation engine; the reconciliation engine runs daily."""


def test_tokenise_keeps_the_marks_inside_skill_names_and_reads_hyphens_as_spaces():
    assert tokenise("C++, C#, Node.js and CI/CD; front-end (React).") == [
        "c++",
        "c#",
        "node.js",
        "and",
        "ci/cd",
        "front",
        "end",
        "react",
    ]


def test_the_most_mentioned_vocabulary_skill_comes_first():
    assert suggest_skills(PAYMENTS_JD)[:2] == ["Python", "Payments"]


def test_spellings_of_one_skill_count_as_that_skill():
    suggestions = suggest_skills("PostgreSQL and MySQL; k8s and Kubernetes; golang.")

    assert suggestions == ["SQL", "Kubernetes", "Go"]


def test_multi_word_skills_are_matched_before_their_words():
    assert suggest_skills("Distributed systems. System design. Data structures.") == [
        "Distributed systems",
        "System design",
        "Data structures and algorithms",
    ]


def test_phrases_the_description_repeats_fill_in_after_the_vocabulary():
    suggestions = suggest_skills(PAYMENTS_JD, limit=SUGGESTIONS_MAX + 5)

    assert "Reconciliation engine" in suggestions
    assert suggestions.index("Reconciliation engine") > suggestions.index("SQL")


def test_stop_words_and_job_advert_filler_are_never_suggested():
    text = "Strong experience with the team. Strong experience with the team. Years of experience."

    assert suggest_skills(text) == []


def test_suggestions_stop_at_the_limit():
    text = "Python Java Rust Kotlin Swift Scala Ruby SQL React Django GraphQL Docker"

    assert len(suggest_skills(text)) == SUGGESTIONS_MAX
    assert suggest_skills(text, limit=2) == ["Python", "Java"]


def test_an_empty_or_wordless_text_suggests_nothing():
    assert suggest_skills("") == []
    assert suggest_skills("—  … !!!") == []


def test_a_skill_key_is_the_same_for_the_same_skill_however_it_is_spaced_or_cased():
    assert skill_key("  System   Design ") == skill_key("system design") == "focus-system-design"


def test_skill_keys_keep_c_cplusplus_and_csharp_apart():
    assert [skill_key(label) for label in ("C", "C++", "C#")] == [
        "focus-c",
        "focus-c-plus-plus",
        "focus-c-sharp",
    ]


def test_a_label_without_letters_or_digits_has_no_key():
    assert skill_key("!!!") == ""


def test_a_long_label_gets_a_key_that_fits_its_column():
    assert len(skill_key("x" * 60)) <= 40


def test_clean_label_collapses_spaces():
    assert clean_label("  Product \t sense\n") == "Product sense"

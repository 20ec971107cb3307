"""Focus skills suggested from a job description, by plain keyword extraction done here: no
external service ever sees the text.

The text is split into words; phrases of up to three words are looked up in a curated
vocabulary of skills (with the spellings job descriptions use); then phrases the description
repeats, without stop words, fill the remaining places. Pure functions over strings.
"""

import re
from collections import Counter

FOCUS_SKILLS_MAX = 3
LABEL_MAX_CHARS = 60
SUGGESTIONS_MAX = 8
# Only the head of a very long text is read: a job description is a page or two.
TEXT_MAX_CHARS = 50_000

# Each skill's label, then the phrases (lower case, as tokenised) that name it.
VOCABULARY: dict[str, tuple[str, ...]] = {
    "Python": ("python",),
    "Java": ("java",),
    "Go": ("golang",),
    "JavaScript": ("javascript", "js", "ecmascript"),
    "TypeScript": ("typescript",),
    "C++": ("c++", "cpp"),
    "C#": ("c#", ".net", "dotnet"),
    "Rust": ("rust",),
    "Kotlin": ("kotlin",),
    "Swift": ("swift",),
    "Scala": ("scala",),
    "Ruby": ("ruby", "ruby on rails", "rails"),
    "SQL": ("sql", "mysql", "postgresql", "postgres"),
    "NoSQL databases": ("nosql", "mongodb", "cassandra", "dynamodb"),
    "React": ("react", "react.js", "reactjs"),
    "Node.js": ("node.js", "nodejs"),
    "Django": ("django",),
    "Spring": ("spring boot",),
    "REST APIs": ("restful", "rest apis", "apis", "api design"),
    "GraphQL": ("graphql",),
    "Microservices": ("microservices", "microservice", "service oriented architecture"),
    "Distributed systems": ("distributed systems", "distributed system"),
    "System design": ("system design", "systems design", "architecture", "scalability"),
    "Data structures and algorithms": (
        "data structures",
        "algorithms",
        "dsa",
        "problem solving",
        "competitive programming",
    ),
    "Object-oriented design": ("object oriented design", "oop", "ood", "design patterns"),
    "Concurrency": ("concurrency", "multithreading", "multi threading", "parallelism"),
    "Caching": ("caching", "redis", "memcached", "cdn"),
    "Messaging and queues": ("kafka", "rabbitmq", "message queues", "event driven", "pub sub"),
    "Cloud (AWS, GCP, Azure)": ("aws", "gcp", "azure", "cloud", "google cloud"),
    "Kubernetes": ("kubernetes", "k8s"),
    "Docker": ("docker", "containers", "containerisation", "containerization"),
    "CI/CD": ("ci/cd", "ci cd", "continuous integration", "continuous delivery", "devops"),
    "Testing": ("testing", "unit tests", "unit testing", "test driven", "tdd", "automation"),
    "Security": ("security", "authentication", "authorization", "oauth"),
    "Performance": ("performance", "latency", "optimisation", "optimization", "profiling"),
    "Observability": ("observability", "monitoring", "logging", "alerting", "on call"),
    "Machine learning": ("machine learning", "ml", "deep learning", "pytorch", "tensorflow"),
    "Data engineering": ("data pipelines", "etl", "spark", "hadoop", "airflow", "data engineering"),
    "Data analysis": ("data analysis", "analytics", "statistics", "a/b testing", "experimentation"),
    "Frontend": ("frontend", "front end", "html", "css", "web performance", "accessibility"),
    "Mobile": ("android", "ios", "mobile", "react native", "flutter"),
    "Payments": ("payments", "upi", "fintech"),
    "Product sense": ("product sense", "product thinking", "user research", "customer empathy"),
    "Prioritisation": ("prioritisation", "prioritization", "roadmap", "roadmaps", "trade offs"),
    "Metrics": ("metrics", "kpis", "okrs", "success metrics"),
    "Stakeholder management": ("stakeholder management", "stakeholders", "cross functional"),
    "Leadership": ("leadership", "mentoring", "mentorship", "people management", "ownership"),
    "Communication": ("communication", "written communication", "presentation skills"),
    "Go-to-market": ("go to market", "gtm"),
}

# Common words, and the filler of job adverts, never suggested on their own.
_STOP_WORDS_TEXT = """
    a about above across after all also an and any are as at be been being both but by can
    could do does each etc for from had has have having he her his how i if in including into is
    it its just like may more most must my no not of on one or other our out over own per plus
    preferred required requirements responsibilities role roles she should so some such than that
    the their them then there these they this those through to too under up us using via was we
    were what when where which while who will with within without work working would you your
    ability able across candidate candidates company day degree environment equivalent excellent
    experience experienced familiarity good great help highly ideal join job knowledge least looking
    new opportunity plus position qualifications related relevant skills solid strong team teams
    understanding well years year bonus benefits apply applicants build building based best
    deliver delivering ensure etc fast world class growth hands high impact key level large make
    multiple need needed part passion passionate prior proven range scale support strongly take
    time using various ways wide india bengaluru bangalore hyderabad pune mumbai delhi gurgaon
    remote hybrid office salary lpa ctc
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# A word: letters or digits, keeping the marks inside skill names (c++, c#, node.js, ci/cd).
_WORD = re.compile(r"[a-z0-9][a-z0-9+#./-]*[a-z0-9+#]|[a-z0-9]")
_PHRASE_TO_LABEL = {phrase: label for label, phrases in VOCABULARY.items() for phrase in phrases}
_LONGEST_PHRASE = max(len(phrase.split()) for phrase in _PHRASE_TO_LABEL)


def tokenise(text: str) -> list[str]:
    """The words of `text` in lower case, hyphens read as spaces ("front-end" is "front end")."""
    lowered = text[:TEXT_MAX_CHARS].lower().replace("-", " ").replace("\u2019", "'")
    return _WORD.findall(lowered)


def _vocabulary_hits(tokens: list[str]) -> Counter[str]:
    """How often each skill of the vocabulary is named, longest phrase first at each word."""
    hits: Counter[str] = Counter()
    index = 0
    while index < len(tokens):
        for size in range(_LONGEST_PHRASE, 0, -1):
            label = _PHRASE_TO_LABEL.get(" ".join(tokens[index : index + size]))
            if label:
                hits[label] += 1
                index += size
                break
        else:
            index += 1
    return hits


def _repeated_phrases(tokens: list[str], *, known: set[str]) -> Counter[str]:
    """Phrases of one or two words, free of stop words, the text repeats: what a job asks for
    that the vocabulary does not know. Single words count only from three mentions."""
    phrases: Counter[str] = Counter()
    for size, least in ((2, 2), (1, 3)):
        counts = Counter(
            " ".join(tokens[index : index + size]) for index in range(len(tokens) - size + 1)
        )
        for phrase, count in counts.items():
            words = phrase.split()
            if count < least or phrase in known or any(word in known for word in words):
                continue
            if any(word in STOP_WORDS or len(word) < 3 or word.isdigit() for word in words):
                continue
            phrases[phrase] = count
    return phrases


def suggest_skills(text: str, *, limit: int = SUGGESTIONS_MAX) -> list[str]:
    """Up to `limit` focus skills for a job description's text, the most mentioned first:
    the vocabulary's skills, then the phrases it repeats (capitalised as a label)."""
    tokens = tokenise(text)
    hits = _vocabulary_hits(tokens)
    suggestions = [label for label, _ in hits.most_common()]
    known = {word for phrase in _PHRASE_TO_LABEL for word in phrase.split()}
    for phrase, _ in _repeated_phrases(tokens, known=known).most_common():
        if len(suggestions) >= limit:
            break
        suggestions.append(phrase.capitalize())
    return suggestions[:limit]


def clean_label(label: str) -> str:
    """A focus skill as shown: single spaces, no surrounding space."""
    return " ".join(label.split())


def skill_key(label: str) -> str:
    """The key a focus skill is scored under, the same for the same skill in every session
    (so its trend can be drawn): lower case, with "+" and "#" spelled out so C, C++ and C#
    stay apart."""
    spelled = clean_label(label).lower().replace("+", " plus ").replace("#", " sharp ")
    slug = re.sub(r"[^a-z0-9]+", "-", spelled).strip("-")
    return "focus-" + slug[:33].rstrip("-") if slug else ""

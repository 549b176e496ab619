"""Full-text search over the protocol library, and plain questions answered from it.

- `fulltext`: the index (`index_version`), ranked matches and their snippets (`search`);
- `questions`: plain questions (`ask`): the ideas a question names, and why each paragraph was
  chosen;
- `words`: cutting text into words and stems, and the word lists of `data/words.toml`.

Both search only the versions they are given. The reader's come from
`accord.library.selectors.search` and `ask` (`readable_versions(actor)`), so a draft is never
found, returned or counted for someone who may not read it.
"""

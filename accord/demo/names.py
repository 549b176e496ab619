"""Common British given and family names, drawn from in a fixed order so the demo is repeatable."""

from __future__ import annotations

import random

GIVEN_NAMES = (
    "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "William",
    "James", "Henry", "Leo", "Alfie", "Joshua", "Freddie", "Archie", "Ethan", "Isaac", "Alexander",
    "Joseph", "Edward", "Samuel", "Max", "Daniel", "Arthur", "Lucas", "Mohammed", "Logan", "Theo",
    "Harrison", "Benjamin", "Mason", "Sebastian", "Finley", "Adam", "Dylan", "Zachary", "Riley",
    "Teddy", "David", "Toby", "Luke", "Matthew", "Andrew", "Peter", "Stephen", "Richard", "Paul",
    "Mark", "Robert", "Simon", "Christopher", "Michael", "Ian", "Gareth", "Rhys", "Owen", "Callum",
    "Amelia", "Olivia", "Isla", "Emily", "Poppy", "Ava", "Isabella", "Jessica", "Lily", "Sophie",
    "Grace", "Sophia", "Mia", "Evie", "Ruby", "Ella", "Scarlett", "Isabelle", "Chloe", "Sienna",
    "Freya", "Phoebe", "Charlotte", "Daisy", "Alice", "Florence", "Eva", "Sofia", "Millie",
    "Lucy", "Evelyn", "Elsie", "Rosie", "Imogen", "Lola", "Matilda", "Elizabeth", "Layla", "Holly",
    "Emma", "Sarah", "Rachel", "Helen", "Claire", "Joanne", "Nicola", "Karen", "Susan", "Julie",
    "Amanda", "Rebecca", "Hannah", "Laura", "Victoria", "Catherine", "Fiona", "Gemma", "Bethan",
    "Priya", "Aisha", "Fatima", "Anika", "Niamh", "Siobhan", "Ffion", "Morag", "Eilidh", "Kirsty",
)  # fmt: skip

FAMILY_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
    "Clarke", "Patel", "Khan", "Lewis", "James", "Phillips", "Mason", "Mitchell", "Rose", "Davis",
    "Rodgers", "Cooper", "Turner", "Hughes", "Harris", "Martin", "Edwards", "Hill", "Moore",
    "Clark", "Harrison", "Scott", "Young", "Morris", "King", "Watson", "Baker", "Wright", "Carter",
    "Allen", "Ward", "Bailey", "Parker", "Bennett", "Griffiths", "Cook", "Morgan", "Kelly",
    "Price", "Shaw", "Lloyd", "Richardson", "Collins", "Bell", "Marshall", "Owen", "Murphy",
    "Cox", "Ellis", "Russell", "Stevens", "Webb", "Palmer", "Holmes", "Mills", "Pearson", "Dixon",
    "Fletcher", "Hunt", "Chapman", "Reynolds", "Gibson", "Foster", "Lawson", "Knight", "Barker",
    "Butler", "Walsh", "Powell", "Howard", "Brooks", "Gray", "Fisher", "Hudson", "Simpson",
    "Sutton", "Ahmed", "Hussain", "Ali", "Begum", "Singh", "Kaur", "Shah", "Chowdhury", "Rahman",
    "Okafor", "Mensah", "Campbell", "Stewart", "Murray", "Reid", "Ross", "Fraser", "Graham",
    "Hamilton", "MacDonald", "Paterson", "O'Brien", "Byrne", "Doyle", "Kennedy", "Lynch", "Quinn",
    "Pritchard", "Rees", "Vaughan", "Powell", "Jenkins", "Howells", "Bowen", "Parry", "Lamb",
    "Dawson", "Saunders", "Hopkins", "Fox", "Wells", "Francis", "Atkinson", "Barnes", "Burton",
    "Chambers", "Lowe", "Nash", "Preston", "Sharp", "Thornton", "Whitehead", "Yates", "Archer",
)  # fmt: skip


class NameSource:
    """Hands out distinct full names from the lists above, repeatably for a given seed."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._given = sorted(set(GIVEN_NAMES))
        self._family = sorted(set(FAMILY_NAMES))
        self._used: set[tuple[str, str]] = set()

    def next(self) -> tuple[str, str]:
        while True:
            name = (self._rng.choice(self._given), self._rng.choice(self._family))
            if name not in self._used:
                self._used.add(name)
                return name

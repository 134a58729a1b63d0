"""The staff-editable program catalogue: storage, seeding, search and the card visitors see."""

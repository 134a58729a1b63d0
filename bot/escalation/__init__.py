"""Hand-offs to staff: asked for a person, two failed understandings, or an urgent matter."""

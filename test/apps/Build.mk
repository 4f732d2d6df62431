# app suite: static Linux programs (filled in with the suite)

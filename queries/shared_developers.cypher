// shared_developers: Which developers work on both of two repositories in a time window?
// Developers active in both in the window, with their activity in each; bots left out unless asked for.
// The balance column says whom each developer leans towards (0 = only a, 1 = only b).
//
// Parameters:
// :param a => 'pytorch/pytorch'
// :param b => 'huggingface/transformers'
// :param first => '2022-04'
// :param last => '2023-03'
// :param includeBots => false
// :param limit => 50
//
// Columns:
//   login      developer login
//   activityA  their activity in repository a in the window
//   activityB  their activity in repository b in the window
//   balance    activityB / (activityA + activityB)
//   monthsA    active months in a in the window
//   monthsB    active months in b in the window
//   isBot      whether the account is flagged as automation
MATCH (:Repo {name: $a})<-[ca:CONTRIBUTED]-(d:Developer)
WHERE $first <= ca.month <= $last
WITH d, sum(ca.activity) AS activityA, count(ca) AS monthsA
// the bot flag read once per developer, not once per monthly edge
WHERE $includeBots OR NOT d.isBot
MATCH (d)-[cb:CONTRIBUTED]->(:Repo {name: $b})
WHERE $first <= cb.month <= $last
WITH d, activityA, monthsA, sum(cb.activity) AS activityB, count(cb) AS monthsB
RETURN d.login AS login, activityA, activityB, activityB / (activityA + activityB) AS balance,
       monthsA, monthsB, d.isBot AS isBot
ORDER BY activityA + activityB DESC, login
LIMIT $limit

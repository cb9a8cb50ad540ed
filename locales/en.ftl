# Canvass: the words of every page a respondent sees, in English.
#
# One message per id; cy.ftl has the same ids in Welsh (a test fails if either has an id
# the other lacks, or a message that does not format). Placeables such as { $title } are
# filled in by the page. Where a sentence holds a link, it is split into the words before
# it, the link's words and the words after it: keep that order possible in translation.
# Organisers' pages stay in English and are not here.

## Every page

page-not-found = Page not found
not-found-before-link = There is nothing at this address. Check the link you were sent, or
see-open-surveys = see the surveys open now
see-open-surveys-button = See the surveys open now
sentence-end = .
load-failed-body = Something went wrong on our side. Reload the page to try again.
loading = Loading…
language-nav = Language

## The front page

loading-surveys = Loading surveys…
no-open-surveys = No surveys are open just now.
surveys-not-listed = Surveys could not be listed just now; reload the page to try again.

## The questionnaire

loading-survey = Loading the survey…
survey-load-failed = The survey could not be loaded
start-meta = { $time } · { $questions ->
        [one] 1 question
       *[other] { $questions } questions
    } in { $sections ->
        [one] 1 section
       *[other] { $sections } sections
    } · answers marked “required” must be given
open-until = Open until { $date }.
privacy-summary = How we use your answers
already-title = You have already responded – { $title }
already-heading = You have already responded from this browser
already-body = Your answers are saved. You can see how organisations compare on the results page.
see-the-results = See the results
answer-again-lead = Answering for another organisation too?
answer-again = Answer again for another organisation
answer-again-after = Each organisation should respond once.
not-open-title = Not open yet – { $title }
not-open-heading = This survey is not open yet
not-open-body = It opens on { $date }. Come back then: this address will take you to it.
closed-title = Closed – { $title }
closed-heading = This survey is closed
closed-body = It no longer takes responses. Thank you for your interest; if you answered earlier, your answers are kept.
closed-part-way-body = It closed before you finished. The answers you had given are kept for { $days ->
        [one] 1 day
       *[other] { $days } days
    } after you last saved them: if the organisers reopen the survey in that time, come back to this address on this device and carry on where you left off. After that they are deleted.
progress-section = Section { $n } of { $total }
progress-check = Check your answers before you submit
step-title-section = { $section } – Section { $n } of { $total } – { $survey }
step-title-check = Check your answers – { $survey }
error-prefix = Error:
problem-heading = There is a problem
required = (required)
answer-only-if = Answer only if you chose “{ $answer }” for “{ $question }”.
continue = Continue
continue-to-check = Continue to check your answers
back = Back
save-later = Save and come back later
check-heading = Check your answers
answer-yes = Yes
not-answered = Not answered
change = Change
confirm-submit = By submitting you confirm these answers are right to the best of your knowledge.
submit = Submit your answers
not-sent = Your answers could not be sent. Check your connection and press the button again; nothing you typed has been lost.
server-busy = The server could not take your answers just now; nothing you typed has been lost. Try again in a moment.
not-kept = Your answers could not be kept just now; nothing you typed is lost. Press the button again in a moment.

## Saved answers

saved-title = Your answers are saved
saved-open-link = To carry on later, on this device or another, open this link:
saved-kept = It works on any device until you submit, or for { $days ->
        [one] 1 day
       *[other] { $days } days
    } after your last save. It opens at the section you stopped at. Anyone with the link can see and change your answers, so keep it to yourself.
carry-on = Carry on now
no-saved-heading = No saved answers found
no-saved-body = This browser holds no saved answers for this survey, or they have expired.
start-the-survey = Start the survey
saved-failed-heading = Something went wrong
saved-failed-body = Your saved answers could not be looked up just now. Reload the page to try again.
email-link-heading = Email me this link
email-link-sent = The link is on its way to the address you gave. Canvass used the address for this message only and does not keep it: only a one-way fingerprint of it, for a day, so that links are not sent to it too often.
email-link-invalid = Enter an email address in the correct format, like name@example.gov.uk
email-link-failed = The link could not be queued for sending just now; nothing is lost. Try again in a moment, or copy the link above.
email-link-limit = This link has been emailed as often as it can be today, or that address has been sent several links already. Copy the link above instead, or try again tomorrow.
email-link-label = Your email address
email-link-hint = Used once, to send this link. Not kept: only a one-way fingerprint, for a day, to limit how often links are sent.
email-link-button = Email me the link
copy-link = Copy link
link-copied = Link copied.
link-selected = The link is selected: press Ctrl+C (or ⌘C on a Mac) to copy it.
link-expired-heading = This link has expired
link-expired-body = Saved answers are kept for { $days ->
        [one] 1 day
       *[other] { $days } days
    } after their last save, until they are submitted. These were submitted already, or have expired.
try-again-heading = Please try again
saved-not-opened = Your saved answers could not be opened just now; nothing is lost. Reload this page in a moment.
resume-choice-heading = Continue these answers?
resume-choice-body = This link brings back answers to this survey that were saved earlier, but not in this browser.
resume-choice-warning = Only continue if you saved these answers yourself. Anyone who has this link can see and change what you type, so if someone else sent it to you, start afresh.
resume-continue = Continue these answers
resume-afresh = Start afresh

## Results

loading-results = Loading results…
results-title = Results – { $title }
receipt-saved = Your answers are saved
your-reference = Your reference
next-steps = What happens next
next-steps-body = Your answers count in the totals below, which update as other organisations respond. Quote your reference if you contact the organisers about your response.
bookmark = Bookmark this page to come back to the results in this browser.
other-device = See these results on another device
other-device-body = Open this link on the other device. Keep it to yourself: it opens the results as your receipt.
need-receipt-heading = Results are shown after you answer
need-receipt-before = To see how organisations compare,
answer-the-survey = answer the survey
need-receipt-after = first. If you already have, open the link on your receipt.
results-failed-heading = Results could not be loaded
results-failed-body = Something went wrong on our side.
try-again = Try again
results-link-bad-heading = This results link does not work
results-link-bad-body = It is not a link Canvass gave for this survey's results. Check that the whole link was copied from the device you answered on.
results-not-opened-heading = Results could not be opened
results-not-opened-body = Something went wrong on our side. Wait a moment and open the link again.
no-survey-here = There is no survey at this address. Check that the whole link was copied.
compare-heading = How organisations compare
results-waiting = Results appear once { $min } organisations have responded.
totals-as-of = Totals as of
totals-responses = responses. They move only in steps of at least { $step } responses and never show a group of fewer than { $step }; yours will appear with the next step if it is not counted yet.
updating-live = Updating live
refresh = Refresh
how-sure = Each percentage is of those who answered the question, with its 95% interval: the range in brackets, and the whisker on its bar. Against an earlier wave, a difference is called more than chance would explain only when at least { $min } answered and its own 95% interval excludes zero; with fewer, it is too few to test. Organisations chose whether to answer, and no interval measures the bias that brings.
provisional = While the survey is open these comparisons are provisional: looking again and again at live figures makes some chance differences look real.
on-this-page = On this page
segments-heading = Responses by organisation type
segments-hint = Groups with fewer than { $min } responses are not shown, to keep answers anonymous.
base = Of { $base } who answered.
small-base = A small base (under { $min }): read the percentages as rough.
your-answer = Your answer
gap-hint = Share of organisations using each channel now, against the share saying their service users actively use it, each of those who answered its question.
gap-explained = The gap is the second share less the first, in percentage points. Above zero, more organisations say their service users are on a channel than use it themselves: there they are missing people. Below zero, they are on a channel their users mostly are not.
gap-channel = Channel
gap-organisations = Organisations using it
gap-users = Service users on it
gap-gap = Gap
gap-points = { $points } points

## Refusals

wait-heading = Please wait a moment
too-many = Too many submissions from your network just now. Nothing was lost: wait { $seconds } seconds and submit again.
use-back = Use your browser's Back button: your answers are still in the form.
refused-heading = Request refused
too-large = Your answers are longer than this survey accepts. Shorten the longest text answer and submit again.
not-read = Your answers could not be read. Go back and submit the form again.
already-submitted = This form was already submitted with different answers, and that first response is kept; these answers were not saved. To send another response, reload the survey page.
invitation-used = Your invitation has already been used to respond, and that response is kept; these answers were not saved. Each invitation takes one response.
by-invitation = This survey is by invitation only, and these answers were not saved. Open it with the link in the email you were sent; if you cannot find it, ask the survey's organisers for a new one.
busy = The survey is very busy just now; nothing was lost, please submit again in a moment.
not-saved-now = Your answers could not be saved just now; nothing was lost, please try again.
too-many-fields = This submission has { $count } fields, more than the { $max } any survey uses; reload the survey page and submit again.

## Invitations

invitation-unknown-heading = This invitation link is not recognised
invitation-unknown-body = Check that the whole link from your email is in the address bar: some email programs break long lines. If it still does not open, reply to the invitation email and the organisers will send you a new link.
invitation-not-opened = Your invitation could not be opened just now. Reload this page in a moment.
invitation-responded-heading = You have already responded
invitation-responded-body = Your response to the { $title } is stored, and this link takes one response.
unsubscribe-heading = Unsubscribe from this survey's emails
unsubscribe-body = You will receive no more invitations or reminders about the { $title }.
unsubscribe-button = Unsubscribe
unsubscribed-heading = You are unsubscribed
unsubscribed-body = You will receive no more email about this survey.
by-invitation-heading = This survey is by invitation
by-invitation-body = The { $title } is answered by invitation. Open it with the link in the email you were sent: the link is yours alone and keeps your answers if you stop part-way. If you cannot find the email, ask the survey's organisers for a new one.

## Withdrawing a response (issue 21)
withdraw-link = Withdraw my response
withdraw-intro = You can withdraw your response at any time: it is deleted, and the totals no longer count it.
withdraw-heading = Withdraw your response?
withdraw-body = Your answers will be deleted for good, with any email address you gave, and the totals will no longer count them. This cannot be undone.
withdraw-confirm = Yes, delete my response
withdraw-cancel = No, keep it
withdrawn-heading = Your response has been withdrawn
withdrawn-body = Your answers and any email address you gave have been deleted, and the totals no longer count them.
withdraw-none-heading = There is no response to withdraw
withdraw-none-body = No response was found for this browser’s receipt, so nothing was deleted. It may have been withdrawn already. If you answered on another device, open your receipt link in this browser first.
withdraw-failed = Your response could not be withdrawn just now; nothing was deleted. Try again in a minute.

## The privacy notice (issue 21)
privacy-notice-link = Privacy notice
privacy-notice-title = Privacy notice – { $title }
privacy-notice-heading = Privacy notice
pn-back = Back to the survey
pn-controller-heading = Who is responsible for your data
pn-controller-unset = The organisers of this survey.
pn-purpose-heading = Why we ask
pn-basis-heading = Our lawful basis
pn-basis = { $basis ->
    [public-task] Public task: we collect these answers to carry out our functions as a public body (UK GDPR article 6(1)(e)). You do not need to consent to answer.
    [legitimate-interests] Legitimate interests (UK GDPR article 6(1)(f)): we have weighed our interest in these answers against yours.
    [consent] Consent (UK GDPR article 6(1)(a)): you choose to answer, and you may withdraw your response at any time.
    [legal-obligation] Legal obligation (UK GDPR article 6(1)(c)): the law requires us to collect these answers.
    [contract] Contract (UK GDPR article 6(1)(b)).
   *[vital-interests] Vital interests (UK GDPR article 6(1)(d)).
}
pn-basis-consent-box = The consent box is only for the optional email address.
pn-run-by = Run by { $controller }.
pn-summary-default = Others see your answers only within totals; the organisers can read each response.
pn-read-full = Read the full privacy notice
pn-kept-heading = What we keep
pn-kept-answers = Your answers, the version of the survey and the language you answered in, and when you submitted. Nothing identifies you unless you type it.
pn-kept-email = An email address only if you give one for the findings: it is stored apart from your answers and never exported with them.
pn-kept-drafts = Answers you save part-way, so that you can come back to them.
pn-retention-heading = How long we keep it
pn-keep-responses = Answers: { $period } after you submit, then they are deleted.
pn-keep-responses-open = Answers: until the organisers delete them.
pn-keep-contacts = Email addresses: { $period } after you give them, then they are deleted.
pn-keep-contacts-open = Email addresses: until the organisers delete them.
pn-keep-drafts = Answers saved part-way: { $period } after the last save, then they are deleted.
pn-totals-heading = Who sees the totals
pn-totals = Anyone who has answered sees the totals of everyone’s answers. They move only in steps of at least 5 responses and never show a group of fewer than 5. If you withdraw your response, it leaves the totals at their next step, together with at least 5 new responses, so that your withdrawal shows nothing of anyone else’s answers.
pn-totals-invite = This survey is by invitation only: each invited organisation answers once, which gives the strongest protection the steps of 5 can give.
pn-totals-open = Anyone with the link can answer this survey. Steps of 5 stop a casual reader working out one organisation’s answers, but someone who answers several times themselves could narrow down the responses that arrive next. Invitation-only surveys give the strongest protection.
pn-rights-heading = Your rights
pn-rights = You can withdraw your response at any time from the results page you see after submitting (“Withdraw my response”): it is deleted for good at once, and leaves the published totals at their next step. You may also ask for a copy of your data, or for it to be corrected or deleted, and you may complain to the Information Commissioner’s Office (ico.org.uk).
pn-contact = Questions about your data: { $contact }
pn-contact-unset = Questions about your data: contact the survey’s organisers.
period-days = { $n ->
    [one] 1 day
   *[other] { $n } days
}
period-weeks = { $n ->
    [one] 1 week
   *[other] { $n } weeks
}
period-months = { $n ->
    [one] 1 month
   *[other] { $n } months
}
period-years = { $n ->
    [one] 1 year
   *[other] { $n } years
}

## The public findings page (issue 32)
findings-heading = Findings
findings-basis = The totals of { $responses } responses. Published figures move in steps of at least 5 responses and never show a group of fewer than 5. The ranges are 95% intervals; a self-selected sample has biases no interval measures.
findings-not-published = The findings of this survey are not published yet. If you took part and asked for them, they will be emailed to you when they are.
findings-too-few = Too few responses have been received to publish any figures yet.
findings-failed = The findings could not be shown just now. Try again in a minute.

mail-unsubscribe = To receive no more email about this survey: { $link }
# Added to a reminder on an anonymous survey: who answered is known only in groups of 5.
mail-reminder-anonymous = This survey is anonymous, so we cannot see who has answered. If you already have, thank you, and please ignore this reminder.

row-not-answered = not answered

# Canvass: geiriau pob tudalen y mae ymatebydd yn ei gweld, yn Gymraeg.
#
# A careful first translation, to be reviewed by a Welsh translator before real
# fieldwork (see the README). Same ids as en.ftl; a test fails if either has an id the
# other lacks, or a message that does not format.

## Every page

page-not-found = Heb ddod o hyd i’r dudalen
not-found-before-link = Does dim byd yn y cyfeiriad hwn. Gwiriwch y ddolen a anfonwyd atoch, neu
see-open-surveys = gweld yr arolygon sydd ar agor nawr
see-open-surveys-button = Gweld yr arolygon sydd ar agor nawr
sentence-end = .
load-failed-body = Aeth rhywbeth o’i le ar ein hochr ni. Ail-lwythwch y dudalen i roi cynnig arall arni.
loading = Wrthi’n llwytho…
language-nav = Iaith

## The front page

loading-surveys = Wrthi’n llwytho’r arolygon…
no-open-surveys = Does dim arolygon ar agor ar hyn o bryd.
surveys-not-listed = Doedd dim modd rhestru’r arolygon ar hyn o bryd; ail-lwythwch y dudalen i roi cynnig arall arni.

## The questionnaire

loading-survey = Wrthi’n llwytho’r arolwg…
survey-load-failed = Doedd dim modd llwytho’r arolwg
start-meta = { $time } · { $questions } cwestiwn mewn { $sections } adran · rhaid rhoi’r atebion sydd wedi’u marcio’n “gofynnol”
open-until = Ar agor tan { $date }.
privacy-summary = Sut rydyn ni’n defnyddio eich atebion
already-title = Rydych chi eisoes wedi ymateb – { $title }
already-heading = Rydych chi eisoes wedi ymateb o’r porwr hwn
already-body = Mae eich atebion wedi’u cadw. Gallwch weld sut mae sefydliadau’n cymharu ar y dudalen canlyniadau.
see-the-results = Gweld y canlyniadau
answer-again-lead = Yn ateb ar ran sefydliad arall hefyd?
answer-again = Ateb eto ar ran sefydliad arall
answer-again-after = Dylai pob sefydliad ymateb unwaith.
not-open-title = Heb agor eto – { $title }
not-open-heading = Dydy’r arolwg hwn ddim ar agor eto
not-open-body = Mae’n agor ar { $date }. Dewch yn ôl bryd hynny: bydd y cyfeiriad hwn yn mynd â chi ato.
closed-title = Ar gau – { $title }
closed-heading = Mae’r arolwg hwn ar gau
closed-body = Dydy’r arolwg ddim yn derbyn ymatebion mwyach. Diolch am eich diddordeb; os gwnaethoch ateb yn gynharach, mae eich atebion wedi’u cadw.
closed-part-way-body = Caeodd cyn i chi orffen. Caiff yr atebion a roesoch eu cadw am { $days } diwrnod ar ôl i chi eu cadw ddiwethaf: os bydd y trefnwyr yn ailagor yr arolwg yn yr amser hwnnw, dewch yn ôl i’r cyfeiriad hwn ar y ddyfais hon a pharhau o’r man lle gwnaethoch adael. Ar ôl hynny cânt eu dileu.
progress-section = Adran { $n } o { $total }
progress-check = Gwiriwch eich atebion cyn i chi eu cyflwyno
step-title-section = { $section } – Adran { $n } o { $total } – { $survey }
step-title-check = Gwiriwch eich atebion – { $survey }
error-prefix = Gwall:
problem-heading = Mae problem
required = (gofynnol)
answer-only-if = Atebwch dim ond os gwnaethoch ddewis “{ $answer }” ar gyfer “{ $question }”.
continue = Parhau
continue-to-check = Parhau i wirio eich atebion
back = Yn ôl
save-later = Cadw a dod yn ôl rywbryd eto
check-heading = Gwiriwch eich atebion
answer-yes = Ydw
not-answered = Heb ateb
change = Newid
confirm-submit = Drwy gyflwyno, rydych yn cadarnhau bod yr atebion hyn yn gywir hyd eithaf eich gwybodaeth.
submit = Cyflwyno eich atebion
not-sent = Doedd dim modd anfon eich atebion. Gwiriwch eich cysylltiad a phwyswch y botwm eto; does dim byd a deipiwyd gennych wedi’i golli.
server-busy = Doedd y gweinydd ddim yn gallu derbyn eich atebion ar hyn o bryd; does dim byd a deipiwyd gennych wedi’i golli. Rhowch gynnig arall arni ymhen ychydig.
not-kept = Doedd dim modd cadw eich atebion ar hyn o bryd; does dim byd a deipiwyd gennych wedi’i golli. Pwyswch y botwm eto ymhen ychydig.

## Saved answers

saved-title = Mae eich atebion wedi’u cadw
saved-open-link = I barhau yn nes ymlaen, ar y ddyfais hon neu un arall, agorwch y ddolen hon:
saved-kept = Mae’n gweithio ar unrhyw ddyfais nes i chi gyflwyno, neu am { $days } diwrnod ar ôl i chi gadw ddiwethaf. Mae’n agor yn yr adran lle y gwnaethoch stopio. Gall unrhyw un sydd â’r ddolen weld a newid eich atebion, felly cadwch hi i chi’ch hun.
carry-on = Parhau nawr
no-saved-heading = Heb ddod o hyd i atebion wedi’u cadw
no-saved-body = Does gan y porwr hwn ddim atebion wedi’u cadw ar gyfer yr arolwg hwn, neu maen nhw wedi dod i ben.
start-the-survey = Dechrau’r arolwg
saved-failed-heading = Aeth rhywbeth o’i le
saved-failed-body = Doedd dim modd chwilio am eich atebion wedi’u cadw ar hyn o bryd. Ail-lwythwch y dudalen i roi cynnig arall arni.
email-link-heading = Anfon y ddolen hon ataf drwy e-bost
email-link-sent = Mae’r ddolen ar ei ffordd i’r cyfeiriad a roesoch. Dim ond ar gyfer y neges hon y defnyddiodd Canvass y cyfeiriad, ac nid yw’n ei gadw: dim ond ôl bys unffordd ohono, am ddiwrnod, fel na chaiff dolenni eu hanfon ato’n rhy aml.
email-link-invalid = Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.llyw.cymru
email-link-failed = Doedd dim modd trefnu anfon y ddolen ar hyn o bryd; does dim byd wedi’i golli. Rhowch gynnig arall arni ymhen ychydig, neu copïwch y ddolen uchod.
email-link-limit = Mae’r ddolen hon wedi’i hanfon drwy e-bost mor aml ag y gellir heddiw, neu mae sawl dolen wedi’u hanfon i’r cyfeiriad hwnnw’n barod. Copïwch y ddolen uchod yn lle hynny, neu rhowch gynnig arall arni yfory.
email-link-label = Eich cyfeiriad e-bost
email-link-hint = Caiff ei ddefnyddio unwaith, i anfon y ddolen hon. Ni chaiff ei gadw: dim ond ôl bys unffordd, am ddiwrnod, i gyfyngu ar ba mor aml y caiff dolenni eu hanfon.
email-link-button = Anfon y ddolen ataf drwy e-bost
copy-link = Copïo’r ddolen
link-copied = Mae’r ddolen wedi’i chopïo.
link-selected = Mae’r ddolen wedi’i dewis: pwyswch Ctrl+C (neu ⌘C ar Mac) i’w chopïo.
link-expired-heading = Mae’r ddolen hon wedi dod i ben
link-expired-body = Caiff atebion wedi’u cadw eu cadw am { $days } diwrnod ar ôl iddyn nhw gael eu cadw ddiwethaf, nes iddyn nhw gael eu cyflwyno. Mae’r rhain wedi’u cyflwyno’n barod, neu wedi dod i ben.
try-again-heading = Rhowch gynnig arall arni
saved-not-opened = Doedd dim modd agor eich atebion wedi’u cadw ar hyn o bryd; does dim byd wedi’i golli. Ail-lwythwch y dudalen hon ymhen ychydig.
resume-choice-heading = Parhau â’r atebion hyn?
resume-choice-body = Mae’r ddolen hon yn dod ag atebion i’r arolwg hwn a gadwyd yn gynharach yn ôl, ond nid yn y porwr hwn.
resume-choice-warning = Dim ond os gwnaethoch chi gadw’r atebion hyn eich hun y dylech barhau. Gall unrhyw un sydd â’r ddolen hon weld a newid yr hyn rydych chi’n ei deipio, felly os anfonodd rhywun arall hi atoch, dechreuwch o’r newydd.
resume-continue = Parhau â’r atebion hyn
resume-afresh = Dechrau o’r newydd

## Results

loading-results = Wrthi’n llwytho’r canlyniadau…
results-title = Canlyniadau – { $title }
receipt-saved = Mae eich atebion wedi’u cadw
your-reference = Eich cyfeirnod
next-steps = Beth sy’n digwydd nesaf
next-steps-body = Mae eich atebion yn cyfrif yn y cyfansymiau isod, sy’n cael eu diweddaru wrth i sefydliadau eraill ymateb. Dyfynnwch eich cyfeirnod os byddwch yn cysylltu â’r trefnwyr am eich ymateb.
bookmark = Rhowch nod tudalen ar y dudalen hon i ddod yn ôl at y canlyniadau yn y porwr hwn.
other-device = Gweld y canlyniadau hyn ar ddyfais arall
other-device-body = Agorwch y ddolen hon ar y ddyfais arall. Cadwch hi i chi’ch hun: mae’n agor y canlyniadau fel eich derbynneb.
need-receipt-heading = Caiff canlyniadau eu dangos ar ôl i chi ateb
need-receipt-before = I weld sut mae sefydliadau’n cymharu,
answer-the-survey = atebwch yr arolwg
need-receipt-after = yn gyntaf. Os ydych chi eisoes wedi ateb, agorwch y ddolen ar eich derbynneb.
results-failed-heading = Doedd dim modd llwytho’r canlyniadau
results-failed-body = Aeth rhywbeth o’i le ar ein hochr ni.
try-again = Rhowch gynnig arall arni
results-link-bad-heading = Dydy’r ddolen canlyniadau hon ddim yn gweithio
results-link-bad-body = Nid yw’n ddolen a roddodd Canvass ar gyfer canlyniadau’r arolwg hwn. Gwiriwch fod y ddolen gyfan wedi’i chopïo o’r ddyfais y gwnaethoch ateb arni.
results-not-opened-heading = Doedd dim modd agor y canlyniadau
results-not-opened-body = Aeth rhywbeth o’i le ar ein hochr ni. Arhoswch ychydig ac agorwch y ddolen eto.
no-survey-here = Does dim arolwg yn y cyfeiriad hwn. Gwiriwch fod y ddolen gyfan wedi’i chopïo.
compare-heading = Sut mae sefydliadau’n cymharu
results-waiting = Bydd canlyniadau’n ymddangos pan fydd { $min } sefydliad wedi ymateb.
totals-as-of = Cyfansymiau ar sail
totals-responses = ymateb. Dim ond fesul o leiaf { $step } ymateb y maen nhw’n newid, ac nid ydynt byth yn dangos grŵp o lai na { $step }; bydd eich ateb chi’n ymddangos gyda’r cam nesaf os nad yw wedi’i gyfrif eto.
updating-live = Yn diweddaru’n fyw
refresh = Adnewyddu
how-sure = Mae pob canran yn ganran o’r rhai a atebodd y cwestiwn, gyda’i chyfwng 95%: yr ystod rhwng cromfachau, a’r wisgeren ar ei far. O’i chymharu â thon gynharach, dim ond pan fydd o leiaf { $min } wedi ateb a’i chyfwng 95% ei hun yn eithrio sero y dywedir bod gwahaniaeth yn fwy nag y byddai siawns yn ei esbonio; gyda llai, mae’n rhy ychydig i’w brofi. Dewisodd sefydliadau a oeddent am ateb, ac nid oes cyfwng yn mesur y gogwydd a ddaw yn sgil hynny.
provisional = Tra bo’r arolwg ar agor, dros dro yw’r cymariaethau hyn: mae edrych dro ar ôl tro ar ffigurau byw yn gwneud i rai gwahaniaethau siawns edrych yn real.
on-this-page = Ar y dudalen hon
segments-heading = Ymatebion yn ôl math o sefydliad
segments-hint = Ni ddangosir grwpiau â llai na { $min } ymateb, er mwyn cadw atebion yn ddienw.
base = O’r { $base } a atebodd.
small-base = Sylfaen fach (llai na { $min }): darllenwch y canrannau fel rhai bras.
your-answer = Eich ateb
gap-hint = Cyfran y sefydliadau sy’n defnyddio pob sianel nawr, o’i chymharu â’r gyfran sy’n dweud bod defnyddwyr eu gwasanaethau’n ei defnyddio’n weithredol, pob un o’r rhai a atebodd ei gwestiwn.
gap-explained = Y bwlch yw’r ail gyfran llai’r gyntaf, mewn pwyntiau canran. Uwchben sero, mae mwy o sefydliadau’n dweud bod defnyddwyr eu gwasanaethau ar sianel nag sy’n ei defnyddio eu hunain: yno maen nhw’n colli pobl. Islaw sero, maen nhw ar sianel nad yw’r rhan fwyaf o’u defnyddwyr arni.
gap-channel = Sianel
gap-organisations = Sefydliadau sy’n ei defnyddio
gap-users = Defnyddwyr gwasanaethau arni
gap-gap = Bwlch
gap-points = { $points } pwynt

## Refusals

wait-heading = Arhoswch ychydig
too-many = Gormod o gyflwyniadau o’ch rhwydwaith ar hyn o bryd. Does dim byd wedi’i golli: arhoswch { $seconds } eiliad a chyflwynwch eto.
use-back = Defnyddiwch y botwm Yn ôl yn eich porwr: mae eich atebion yn dal yn y ffurflen.
refused-heading = Cais wedi’i wrthod
too-large = Mae eich atebion yn hwy nag y mae’r arolwg hwn yn ei dderbyn. Byrhewch yr ateb testun hiraf a chyflwynwch eto.
not-read = Doedd dim modd darllen eich atebion. Ewch yn ôl a chyflwyno’r ffurflen eto.
already-submitted = Cafodd y ffurflen hon ei chyflwyno eisoes gydag atebion gwahanol, ac mae’r ymateb cyntaf hwnnw wedi’i gadw; ni chafodd yr atebion hyn eu cadw. I anfon ymateb arall, ail-lwythwch dudalen yr arolwg.
invitation-used = Mae eich gwahoddiad eisoes wedi’i ddefnyddio i ymateb, ac mae’r ymateb hwnnw wedi’i gadw; ni chafodd yr atebion hyn eu cadw. Mae pob gwahoddiad yn derbyn un ymateb.
by-invitation = Drwy wahoddiad yn unig y mae’r arolwg hwn, ac ni chafodd yr atebion hyn eu cadw. Agorwch ef gyda’r ddolen yn yr e-bost a anfonwyd atoch; os na allwch ddod o hyd iddi, gofynnwch i drefnwyr yr arolwg am un newydd.
busy = Mae’r arolwg yn brysur iawn ar hyn o bryd; does dim byd wedi’i golli, cyflwynwch eto ymhen ychydig.
not-saved-now = Doedd dim modd cadw eich atebion ar hyn o bryd; does dim byd wedi’i golli, rhowch gynnig arall arni.
too-many-fields = Mae gan y cyflwyniad hwn { $count } maes, mwy na’r { $max } y mae unrhyw arolwg yn eu defnyddio; ail-lwythwch dudalen yr arolwg a chyflwynwch eto.

## Invitations

invitation-unknown-heading = Nid yw’r ddolen wahodd hon yn cael ei hadnabod
invitation-unknown-body = Gwiriwch fod y ddolen gyfan o’ch e-bost yn y bar cyfeiriad: mae rhai rhaglenni e-bost yn torri llinellau hir. Os nad yw’n agor o hyd, atebwch yr e-bost gwahodd a bydd y trefnwyr yn anfon dolen newydd atoch.
invitation-not-opened = Doedd dim modd agor eich gwahoddiad ar hyn o bryd. Ail-lwythwch y dudalen hon ymhen ychydig.
invitation-responded-heading = Rydych chi eisoes wedi ymateb
invitation-responded-body = Mae eich ymateb i { $title } wedi’i storio, ac mae’r ddolen hon yn derbyn un ymateb.
unsubscribe-heading = Dad-danysgrifio o negeseuon e-bost yr arolwg hwn
unsubscribe-body = Ni fyddwch yn cael rhagor o wahoddiadau nac atgoffâd am { $title }.
unsubscribe-button = Dad-danysgrifio
unsubscribed-heading = Rydych chi wedi dad-danysgrifio
unsubscribed-body = Ni fyddwch yn cael rhagor o negeseuon e-bost am yr arolwg hwn.
by-invitation-heading = Drwy wahoddiad y mae’r arolwg hwn
by-invitation-body = Caiff { $title } ei ateb drwy wahoddiad. Agorwch ef gyda’r ddolen yn yr e-bost a anfonwyd atoch: eich dolen chi yn unig yw hi, ac mae’n cadw eich atebion os byddwch yn stopio hanner ffordd. Os na allwch ddod o hyd i’r e-bost, gofynnwch i drefnwyr yr arolwg am un newydd.

## Tynnu ymateb yn ôl (issue 21)
withdraw-link = Tynnu fy ymateb yn ôl
withdraw-intro = Gallwch dynnu eich ymateb yn ôl unrhyw bryd: caiff ei ddileu, ac ni fydd y cyfansymiau’n ei gyfrif mwyach.
withdraw-heading = Tynnu eich ymateb yn ôl?
withdraw-body = Caiff eich atebion eu dileu am byth, ynghyd ag unrhyw gyfeiriad e-bost a roesoch, ac ni fydd y cyfansymiau’n eu cyfrif mwyach. Ni ellir dadwneud hyn.
withdraw-confirm = Ie, dilëwch fy ymateb
withdraw-cancel = Na, cadwch ef
withdrawn-heading = Mae eich ymateb wedi’i dynnu’n ôl
withdrawn-body = Mae eich atebion ac unrhyw gyfeiriad e-bost a roesoch wedi’u dileu, ac nid yw’r cyfansymiau’n eu cyfrif mwyach.
withdraw-none-heading = Nid oes ymateb i’w dynnu’n ôl
withdraw-none-body = Ni chafwyd hyd i ymateb ar gyfer derbynneb y porwr hwn, felly ni ddilëwyd dim. Efallai ei fod wedi’i dynnu’n ôl yn barod. Os gwnaethoch ateb ar ddyfais arall, agorwch eich dolen derbynneb yn y porwr hwn yn gyntaf.
withdraw-failed = Nid oedd modd tynnu eich ymateb yn ôl ar hyn o bryd; ni ddilëwyd dim. Rhowch gynnig arall arni ymhen munud.

## Yr hysbysiad preifatrwydd (issue 21)
privacy-notice-link = Hysbysiad preifatrwydd
privacy-notice-title = Hysbysiad preifatrwydd – { $title }
privacy-notice-heading = Hysbysiad preifatrwydd
pn-back = Yn ôl i’r arolwg
pn-controller-heading = Pwy sy’n gyfrifol am eich data
pn-controller-unset = Trefnwyr yr arolwg hwn.
pn-purpose-heading = Pam rydyn ni’n gofyn
pn-basis-heading = Ein sail gyfreithlon
pn-basis = { $basis ->
    [public-task] Tasg gyhoeddus: rydyn ni’n casglu’r atebion hyn er mwyn cyflawni ein swyddogaethau fel corff cyhoeddus (erthygl 6(1)(e) GDPR y DU). Nid oes angen i chi gydsynio er mwyn ateb.
    [legitimate-interests] Buddiannau dilys (erthygl 6(1)(f) GDPR y DU): rydyn ni wedi pwyso a mesur ein buddiant yn yr atebion hyn yn erbyn eich buddiannau chi.
    [consent] Cydsyniad (erthygl 6(1)(a) GDPR y DU): chi sy’n dewis ateb, a gallwch dynnu eich ymateb yn ôl unrhyw bryd.
    [legal-obligation] Rhwymedigaeth gyfreithiol (erthygl 6(1)(c) GDPR y DU): mae’r gyfraith yn ei gwneud yn ofynnol i ni gasglu’r atebion hyn.
    [contract] Contract (erthygl 6(1)(b) GDPR y DU).
   *[vital-interests] Buddiannau hanfodol (erthygl 6(1)(d) GDPR y DU).
}
pn-basis-consent-box = Dim ond ar gyfer y cyfeiriad e-bost dewisol y mae’r blwch cydsynio.
pn-run-by = Yn cael ei gynnal gan { $controller }.
pn-summary-default = Mae eraill yn gweld eich atebion o fewn cyfansymiau yn unig; gall y trefnwyr ddarllen pob ymateb.
pn-read-full = Darllenwch yr hysbysiad preifatrwydd llawn
pn-kept-heading = Beth rydyn ni’n ei gadw
pn-kept-answers = Eich atebion, fersiwn yr arolwg a’r iaith y gwnaethoch ateb ynddi, a phryd y gwnaethoch gyflwyno. Nid oes dim yn eich adnabod oni bai eich bod chi’n ei deipio.
pn-kept-email = Cyfeiriad e-bost dim ond os rhowch un ar gyfer y canfyddiadau: caiff ei storio ar wahân i’ch atebion ac ni chaiff byth ei allforio gyda nhw.
pn-kept-drafts = Atebion rydych chi’n eu cadw hanner ffordd, er mwyn i chi allu dod yn ôl atynt.
pn-retention-heading = Am ba hyd rydyn ni’n ei gadw
pn-keep-responses = Atebion: { $period } ar ôl i chi gyflwyno, ac yna cânt eu dileu.
pn-keep-responses-open = Atebion: nes i’r trefnwyr eu dileu.
pn-keep-contacts = Cyfeiriadau e-bost: { $period } ar ôl i chi eu rhoi, ac yna cânt eu dileu.
pn-keep-contacts-open = Cyfeiriadau e-bost: nes i’r trefnwyr eu dileu.
pn-keep-drafts = Atebion a gadwyd hanner ffordd: { $period } ar ôl eu cadw ddiwethaf, ac yna cânt eu dileu.
pn-totals-heading = Pwy sy’n gweld y cyfansymiau
pn-totals = Mae unrhyw un sydd wedi ateb yn gweld cyfansymiau atebion pawb. Dim ond fesul o leiaf 5 ymateb y maen nhw’n newid, ac nid ydynt byth yn dangos grŵp o lai na 5. Os byddwch yn tynnu eich ymateb yn ôl, bydd yn gadael y cyfansymiau yn eu cam nesaf, ynghyd ag o leiaf 5 ymateb newydd, fel nad yw tynnu’n ôl yn dangos dim o atebion neb arall.
pn-totals-invite = Drwy wahoddiad yn unig y mae’r arolwg hwn: mae pob sefydliad a wahoddwyd yn ateb unwaith, sy’n rhoi’r amddiffyniad cryfaf y gall y camau o 5 ei roi.
pn-totals-open = Gall unrhyw un sydd â’r ddolen ateb yr arolwg hwn. Mae camau o 5 yn atal darllenydd achlysurol rhag gweithio allan atebion un sefydliad, ond gallai rhywun sy’n ateb sawl gwaith ei hun gulhau’r ymatebion sy’n cyrraedd nesaf. Arolygon drwy wahoddiad yn unig sy’n rhoi’r amddiffyniad cryfaf.
pn-rights-heading = Eich hawliau
pn-rights = Gallwch dynnu eich ymateb yn ôl unrhyw bryd o’r dudalen canlyniadau a welwch ar ôl cyflwyno (“Tynnu fy ymateb yn ôl”): caiff ei ddileu am byth ar unwaith, a bydd yn gadael y cyfansymiau cyhoeddedig yn eu cam nesaf. Gallwch hefyd ofyn am gopi o’ch data, neu iddo gael ei gywiro neu ei ddileu, a gallwch gwyno i Swyddfa’r Comisiynydd Gwybodaeth (ico.org.uk).
pn-contact = Cwestiynau am eich data: { $contact }
pn-contact-unset = Cwestiynau am eich data: cysylltwch â threfnwyr yr arolwg.
period-days = { $n ->
    [one] 1 diwrnod
   *[other] { $n } diwrnod
}
period-weeks = { $n ->
    [one] 1 wythnos
   *[other] { $n } wythnos
}
period-months = { $n ->
    [one] 1 mis
   *[other] { $n } mis
}
period-years = { $n ->
    [one] 1 flwyddyn
    [two] 2 flynedd
   *[other] { $n } mlynedd
}

## Tudalen gyhoeddus y canfyddiadau (issue 32)
findings-heading = Canfyddiadau
findings-basis = Cyfansymiau { $responses } o ymatebion. Mae ffigurau cyhoeddedig yn symud fesul o leiaf 5 ymateb ac nid ydynt byth yn dangos grŵp o lai na 5. Cyfyngau 95% yw’r ystodau; mae gan sampl hunanddewisol ogwyddau nad oes cyfwng yn eu mesur.
findings-not-published = Nid yw canfyddiadau’r arolwg hwn wedi’u cyhoeddi eto. Os cymeroch ran a gofyn amdanynt, byddant yn cael eu hanfon atoch drwy e-bost pan fyddant.
findings-too-few = Nid oes digon o ymatebion wedi dod i law i gyhoeddi unrhyw ffigurau eto.
findings-failed = Nid oedd modd dangos y canfyddiadau ar hyn o bryd. Rhowch gynnig arall arni ymhen munud.

mail-unsubscribe = I beidio â chael rhagor o e-byst am yr arolwg hwn: { $link }
mail-reminder-anonymous = Mae’r arolwg hwn yn ddienw, felly ni allwn weld pwy sydd wedi ateb. Os ydych wedi ateb eisoes, diolch, ac anwybyddwch y nodyn atgoffa hwn.

row-not-answered = heb ei ateb

"""The bulletin set as a government document (govmedia.officialdoc, GB/T 9704-2012): its
sections become 一、 headings (黑体), （一） headings (楷体) and body paragraphs."""

from govmedia.officialdoc import OfficialDocument, Paragraph, Style, render_docx, render_pdf

from .data import Bulletin


def bulletin_document(bulletin: Bulletin) -> OfficialDocument:
    blocks: list[Paragraph] = [Paragraph(text) for text in bulletin.opening]
    for section in bulletin.sections:
        blocks.append(Paragraph(section.heading, Style.HEADING))
        blocks += [Paragraph(text) for text in section.paragraphs]
        for heading, paragraphs in section.subheadings:
            blocks.append(Paragraph(heading, Style.SUBHEADING))
            blocks += [Paragraph(text) for text in paragraphs]
    return OfficialDocument(
        issuer_mark=bulletin.issuer_mark,
        doc_no=bulletin.doc_no,
        title=bulletin.title,
        addressee=bulletin.addressee,
        blocks=tuple(blocks),
        signer=bulletin.signer,
        date_text=bulletin.date_text,
        cc=bulletin.cc,
        printer=bulletin.printer,
        printed_text=bulletin.printed_text,
    )


def render_bulletin_docx(bulletin: Bulletin) -> bytes:
    return render_docx(bulletin_document(bulletin))


def render_bulletin_pdf(bulletin: Bulletin) -> bytes:
    return render_pdf(bulletin_document(bulletin))

/** A small typed listener list with unsubscribe, used by the host's event and mode feeds. */
export class Listeners<T> {
  private list: ((value: T) => void)[] = [];

  add(listener: (value: T) => void): () => void {
    this.list.push(listener);
    return () => {
      this.list = this.list.filter((l) => l !== listener);
    };
  }

  emit(value: T): void {
    for (const l of this.list) l(value);
  }
}
